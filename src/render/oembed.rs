//! `/briefs/<slug>/oembed.json`: a brief's oEmbed 1.0 response, of type
//! `rich`, whose `html` is the `<iframe>` of the brief's embed page (the
//! snippet the brief page offers). Platforms that find it through the
//! discovery link in the brief's `<head>` can show the verdict in place.
//!
//! A static site cannot answer `maxwidth`/`maxheight` queries, so the
//! response is a file with one size; the iframe shrinks to its container
//! (`max-width:100%`) and the embed page works from 280 px wide.

use super::json;
use super::views::{EMBED_HEIGHT, EMBED_WIDTH, Views};
use crate::resolve::Site;
use crate::urls;
use serde::Serialize;

/// The oEmbed response of one brief.
#[derive(Serialize, Hash)]
pub struct OEmbed<'a> {
    version: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    author_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author_url: Option<&'a str>,
    provider_name: &'a str,
    provider_url: String,
    html: String,
    width: u32,
    height: u32,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    thumbnail: Option<Thumbnail>,
}

/// The share card as the response's thumbnail (all three fields or none,
/// as the specification asks).
#[derive(Serialize, Hash)]
struct Thumbnail {
    thumbnail_url: String,
    thumbnail_width: u32,
    thumbnail_height: u32,
}

/// The response of brief `i`.
pub fn response<'a>(site: &'a Site, views: &Views<'a>, i: usize) -> OEmbed<'a> {
    let b = &site.briefs[i].brief;
    let config = &site.config;
    OEmbed {
        version: "1.0",
        kind: "rich",
        title: &b.title,
        author_name: &config.publisher.name,
        author_url: config.publisher.url.as_deref(),
        provider_name: &config.title,
        provider_url: site.permalink(&site.url(&urls::home(1))),
        html: views.embed(i).code,
        width: EMBED_WIDTH,
        height: EMBED_HEIGHT,
        thumbnail: config.cards.then(|| Thumbnail {
            thumbnail_url: site.permalink(&site.url(&urls::card(&b.slug))),
            thumbnail_width: super::card::WIDTH,
            thumbnail_height: super::card::HEIGHT,
        }),
    }
}

impl OEmbed<'_> {
    /// The file.
    pub fn bytes(&self) -> Vec<u8> {
        json::safe(self).into_bytes()
    }
}
