// Verity's live reload: the server injects this into served HTML only.
// The page knows the build it was served from; the server sends the
// current build number on connect and after every rebuild, and the page
// reloads when they differ (so a rebuild during page load is not missed,
// and EventSource reconnects by itself after a server restart).
(function () {
  var served = "__VERITY_BUILD__";
  var events = new EventSource("/__verity/livereload");
  events.addEventListener("build", function (e) {
    if (e.data !== served) {
      events.close();
      location.reload();
    }
  });
})();
