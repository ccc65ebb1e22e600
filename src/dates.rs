//! Dates as editors write them (`2025-01-06` or RFC 3339
//! `2025-01-06T09:30:00Z`) and as readers and machines read them.

use jiff::{Timestamp, civil};
use std::cmp::Ordering;

/// A publication date, with the exact instant when the editor gave one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// The calendar day (in the offset the editor wrote, for RFC 3339).
    pub day: civil::Date,
    /// The instant, when written as RFC 3339.
    pub instant: Option<Timestamp>,
}

impl Date {
    /// Parses `YYYY-MM-DD` or an RFC 3339 timestamp; the error says which
    /// forms are accepted.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        if text.len() == 10 {
            return text
                .parse::<civil::Date>()
                .map(|day| Date { day, instant: None })
                .map_err(|_| format!("`{text}` is not a valid date (expected YYYY-MM-DD)"));
        }
        let zoned: Result<jiff::Timestamp, _> = text.parse();
        match zoned {
            Ok(instant) => {
                // Keep the calendar day the editor wrote, whatever the offset.
                let day = text
                    .get(..10)
                    .and_then(|d| d.parse::<civil::Date>().ok())
                    .unwrap_or_else(|| instant.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
                Ok(Date {
                    day,
                    instant: Some(instant),
                })
            }
            Err(_) => Err(format!(
                "`{text}` is not a valid date (expected YYYY-MM-DD or RFC 3339, e.g. 2025-01-06T09:30:00Z)"
            )),
        }
    }

    /// `YYYY-MM-DD`, for `<time datetime>` and sorting.
    pub fn iso(&self) -> String {
        self.day.to_string()
    }

    /// `6 January 2025`, for readers.
    pub fn display(&self) -> String {
        self.day.strftime("%-d %B %Y").to_string()
    }

    /// RFC 3339 instant (midnight UTC for a plain date), for feeds and JSON-LD.
    pub fn rfc3339(&self) -> String {
        match self.instant {
            Some(t) => t.to_string(),
            None => format!("{}T00:00:00Z", self.day),
        }
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.day, self.instant).cmp(&(other.day, other.instant))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_rfc3339_dates() {
        let d = Date::parse("2025-01-06").unwrap();
        assert_eq!(d.iso(), "2025-01-06");
        assert_eq!(d.display(), "6 January 2025");
        assert_eq!(d.rfc3339(), "2025-01-06T00:00:00Z");
        let t = Date::parse("2025-01-06T23:30:00-05:00").unwrap();
        assert_eq!(t.iso(), "2025-01-06");
        assert!(Date::parse("2025-02-30").is_err());
        assert!(Date::parse("yesterday").is_err());
    }
}
