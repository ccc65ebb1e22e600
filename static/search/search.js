/* Verity search: finds briefs in the index that the build writes under
   search/ (its format is described in src/render/search.rs). No
   dependencies and no requests outside the site. Index data is only ever
   inserted as text (textContent, text nodes), never parsed as HTML. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.Map || !String.prototype.normalize) return;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var base = form.getAttribute("data-index");
  var PAGE = 10; // hits shown at a time
  var MAX_PREFIX_CHUNKS = 3; // a shorter prefix is matched as a whole word
  var MAX_PREFIX_TERMS = 200;
  var hasOwn = Object.prototype.hasOwnProperty;
  var files = {}; // path -> Promise of its JSON
  var seq = 0; // number of the latest query: results of older ones are dropped
  var hits = [];
  var shown = 0;
  var wordRe;
  var markRe;
  try {
    wordRe = new RegExp("[\\p{Alphabetic}\\p{N}]+", "gu");
    markRe = new RegExp("\\p{M}", "gu");
  } catch (e) {
    status.textContent = "Search needs a newer browser.";
    return;
  }

  // The same terms as the build makes (src/render/search.rs: terms).
  function terms(text, max) {
    var words = text.normalize("NFKD").replace(markRe, "").toLowerCase().match(wordRe) || [];
    return words.map(function (w) {
      var chars = Array.from(w);
      return chars.length > max ? chars.slice(0, max).join("") : w;
    });
  }

  function get(path, options) {
    if (!hasOwn.call(files, path)) {
      files[path] = fetch(base + path, options).then(function (r) {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.json();
      });
      files[path].catch(function () {
        delete files[path];
      });
    }
    return files[path];
  }

  function manifest() {
    return get("index.json", { cache: "no-cache" }).then(function (m) {
      if (m.version !== 1) throw new Error("unknown index version " + m.version);
      return m;
    });
  }

  // The last chunk whose first term is <= term (-1 if none).
  function chunkOf(chunks, term) {
    var lo = 0;
    var hi = chunks.length - 1;
    var found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (chunks[mid] <= term) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  // Adds postings to a Map brief -> field bits.
  function decode(values, into) {
    var doc = -1;
    for (var i = 0; i < values.length; i++) {
      doc += Math.floor(values[i] / 16);
      into.set(doc, (into.get(doc) || 0) | values[i] % 16);
    }
  }

  // Briefs holding word (or, with prefix, a term that begins with it).
  function lookup(m, word, prefix) {
    var first = chunkOf(m.chunks, word);
    var last = prefix ? chunkOf(m.chunks, word + "\uffff") : first;
    if (last - Math.max(first, 0) >= MAX_PREFIX_CHUNKS) {
      prefix = false;
      last = first;
    }
    var wanted = [];
    for (var i = prefix ? Math.max(first, 0) : first; i >= 0 && i <= last; i++) {
      wanted.push(get("t/" + i + ".json?v=" + m.build));
    }
    return Promise.all(wanted).then(function (chunks) {
      var found = new Map();
      var extra = 0;
      chunks.forEach(function (chunk) {
        if (hasOwn.call(chunk, word)) decode(chunk[word], found);
        if (!prefix) return;
        Object.keys(chunk).forEach(function (t) {
          if (t !== word && t.lastIndexOf(word, 0) === 0 && extra++ < MAX_PREFIX_TERMS) {
            decode(chunk[t], found);
          }
        });
      });
      return found;
    });
  }

  // [[brief, score]] for a query: every word must match; ranked by where
  // the words occur (title 8, claim or claimant 4, summary 2, body 1), then
  // newest first (briefs are numbered newest first).
  function search(m, query) {
    var words = terms(query, m.max_term_chars);
    var prefixLast = words.length > 0 && !/\s$/.test(query) && Array.from(words[words.length - 1]).length >= 2;
    var lookups = words.map(function (w, i) {
      return lookup(m, w, prefixLast && i === words.length - 1);
    });
    return Promise.all(lookups).then(function (maps) {
      maps.sort(function (a, b) {
        return a.size - b.size;
      });
      var result = [];
      if (maps.length) {
        maps[0].forEach(function (bits, doc) {
          var score = bits;
          for (var k = 1; k < maps.length; k++) {
            var b = maps[k].get(doc);
            if (b === undefined) return;
            score += b;
          }
          result.push([doc, score]);
        });
      }
      result.sort(function (a, b) {
        return b[1] - a[1] || a[0] - b[0];
      });
      return result;
    });
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Only a path on this site becomes a link.
  function safeUrl(url) {
    return typeof url === "string" && /^\/(?![\/\\])/.test(url) ? url : "#";
  }

  // One hit, in the markup of the theme's brief lists.
  function item(m, d) {
    var li = el("li", "brief-item");
    var meta = el("p", "brief-item__meta");
    var v = m.verdicts[d.verdict];
    if (v) {
      var badge = el("span", "verdict-badge");
      badge.style.setProperty("--verdict", String(v.color));
      badge.appendChild(el("span", "visually-hidden", "Verdict: "));
      badge.appendChild(document.createTextNode(v.label));
      meta.appendChild(badge);
      meta.appendChild(document.createTextNode(" "));
    }
    var time = el("time", null, d.date_display);
    time.setAttribute("datetime", d.date);
    meta.appendChild(time);
    if (d.retracted === true) {
      li.className += " is-retracted";
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "retracted-label", "Retracted"));
    }
    var title = el("h2", "brief-item__title");
    var link = el("a", null, d.title);
    link.href = safeUrl(d.url);
    title.appendChild(link);
    var claim = el("p", "brief-item__claim");
    var claimant = el(d.claimant_url ? "a" : "span", "brief-item__claimant", d.claimant);
    if (d.claimant_url) claimant.href = safeUrl(d.claimant_url);
    claim.appendChild(claimant);
    claim.appendChild(el("span", "visually-hidden", " claimed"));
    claim.appendChild(document.createTextNode(": "));
    claim.appendChild(el("q", null, d.claim));
    li.appendChild(meta);
    li.appendChild(title);
    li.appendChild(claim);
    return li;
  }

  // Shows the next PAGE hits, fetching only the metadata chunks they are in.
  function showMore(m, my) {
    var page = hits.slice(shown, shown + PAGE);
    var size = m.meta_chunk;
    var needed = [];
    page.forEach(function (hit) {
      var k = Math.floor(hit[0] / size);
      if (needed.indexOf(k) < 0) needed.push(k);
    });
    return Promise.all(
      needed.map(function (k) {
        return get("m/" + k + ".json?v=" + m.build);
      })
    ).then(function (chunks) {
      if (my !== seq) return null;
      var first = null;
      page.forEach(function (hit) {
        var d = chunks[needed.indexOf(Math.floor(hit[0] / size))][hit[0] % size];
        var li = item(m, d);
        list.appendChild(li);
        first = first || li;
      });
      shown += page.length;
      more.hidden = shown >= hits.length;
      return first;
    });
  }

  function run(query) {
    var my = ++seq;
    if (!terms(query, Infinity).length) {
      hits = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      return;
    }
    var m;
    manifest()
      .then(function (loaded) {
        m = loaded;
        return search(m, query);
      })
      .then(function (result) {
        if (my !== seq) return null;
        hits = result;
        shown = 0;
        list.textContent = "";
        return showMore(m, my);
      })
      .then(function () {
        if (my !== seq) return;
        var q = "“" + query.trim() + "”";
        var n = hits.length;
        status.textContent =
          n === 0
            ? "No brief matches " + q + "."
            : n + (n === 1 ? " brief matches " : " briefs match ") + q + (n > shown ? ", showing the first " + shown + "." : ".");
      })
      .catch(function () {
        if (my !== seq) return;
        status.textContent = "Search is unavailable: its index could not be loaded.";
      });
  }

  function submit() {
    var q = input.value.trim();
    history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
    run(input.value);
  }

  var timer = null;
  form.hidden = false;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    submit();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(submit, 250);
  });
  more.addEventListener("click", function () {
    var my = seq;
    manifest()
      .then(function (m) {
        return showMore(m, my);
      })
      .then(function (first) {
        if (first) first.querySelector("a").focus();
      });
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
