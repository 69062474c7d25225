//! Reading the dates, clock times and durations schedules write, and placing an event
//! in local conference time.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

/// What each reader expects, for messages.
pub const DATE: &str = "a date (YYYY-MM-DD)";
pub const CLOCK: &str = "a time of day (HH:MM)";
pub const DURATION: &str = "a duration (HH:MM)";
pub const DATE_TIME: &str = "a date and time (ISO 8601, such as 2025-02-01T10:30:00+01:00)";

/// A local date and time, with the UTC offset when the schedule gives one.
pub type Stamp = (NaiveDateTime, Option<FixedOffset>);

/// "2025-02-01"; the date part of a date and time is accepted too (conference `start`
/// and `end` are written either way).
pub fn date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// "10:30", "9:05" or "10:30:00".
pub fn clock(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

/// "00:45", "1:30" or "01:30:00", in whole minutes.
pub fn duration_minutes(text: &str) -> Option<u32> {
    let mut parts = text.trim().split(':').map(|part| part.parse::<u32>().ok());
    let hours = parts.next()??;
    let minutes = parts.next()??;
    let seconds = parts.next().unwrap_or(Some(0))?;
    if parts.next().is_some() || minutes > 59 || seconds > 59 {
        return None;
    }
    hours.checked_mul(60)?.checked_add(minutes)
}

/// "2025-02-01T10:30:00+01:00" (the local time as written, and its offset), or the same
/// without an offset or seconds.
pub fn date_time(text: &str) -> Option<Stamp> {
    let text = text.trim();
    if let Ok(stamp) = DateTime::parse_from_rfc3339(text) {
        return Some((stamp.naive_local(), Some(*stamp.offset())));
    }
    if let Ok(stamp) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z") {
        return Some((stamp.naive_local(), Some(*stamp.offset())));
    }
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .map(|local| (local, None))
}

/// When an event happens, in local conference time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub offset: Option<FixedOffset>,
}

/// Places an event: its `start` clock time is local conference time (so it wins over the
/// time in `date`, which some exporters write in UTC); its date is the one in `date`, or
/// else the day's, moved to the next day when the event starts before the day does (a
/// night session after midnight). `None` when there is no time at all.
pub fn slot(
    date: Option<Stamp>,
    start: Option<NaiveTime>,
    day_date: NaiveDate,
    day_start: Option<Stamp>,
) -> Option<Slot> {
    let start = start.or(date.map(|(local, _)| local.time()))?;
    let date_of_day = || match day_start {
        Some((begins, _)) if start < begins.time() => day_date.checked_add_days(Days::new(1)),
        _ => Some(day_date),
    };
    Some(Slot {
        date: date.map(|(local, _)| local.date()).or_else(date_of_day)?,
        start,
        offset: date
            .and_then(|(_, offset)| offset)
            .or(day_start.and_then(|(_, offset)| offset)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        date(text).expect("date")
    }

    fn t(text: &str) -> NaiveTime {
        clock(text).expect("clock")
    }

    #[test]
    fn clocks_and_durations_in_the_forms_schedules_use() {
        assert_eq!(clock("9:05"), Some(t("09:05")));
        assert_eq!(clock("10:30:00"), Some(t("10:30")));
        assert_eq!(clock("25:00"), None);
        assert_eq!(duration_minutes("00:45"), Some(45));
        assert_eq!(duration_minutes("1:30"), Some(90));
        assert_eq!(duration_minutes("01:30:00"), Some(90));
        for bad in ["", "45", "1:75", "a:10", "1:2:3:4"] {
            assert_eq!(duration_minutes(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn date_times_keep_local_time_and_offset() {
        let (local, offset) = date_time("2025-02-01T10:30:00+01:00").expect("rfc3339");
        assert_eq!(local.to_string(), "2025-02-01 10:30:00");
        assert_eq!(offset.map(|o| o.to_string()).as_deref(), Some("+01:00"));
        let (local, offset) = date_time("2025-02-01T10:30").expect("naive");
        assert_eq!((local.time(), offset), (t("10:30"), None));
        assert!(date_time("2025-02-01T10:30+05:30").is_some_and(|(_, o)| o.is_some()));
        assert_eq!(date_time("yesterday"), None);
        assert_eq!(date("2025-02-01T10:30:00+01:00"), Some(d("2025-02-01")));
    }

    #[test]
    fn the_start_clock_is_local_time_and_wins_over_a_utc_date() {
        let utc = date_time("2025-02-01T09:30:00Z");
        let slot = slot(utc, Some(t("10:30")), d("2025-02-01"), None).expect("slot");
        assert_eq!((slot.date, slot.start), (d("2025-02-01"), t("10:30")));
        assert_eq!(slot.offset.map(|o| o.local_minus_utc()), Some(0));
    }

    #[test]
    fn without_a_date_an_event_before_the_day_starts_is_after_midnight() {
        let day_start = date_time("2024-12-27T10:00:00+01:00");
        let late = slot(None, Some(t("01:30")), d("2024-12-27"), day_start).expect("slot");
        assert_eq!(late.date, d("2024-12-28"));
        assert_eq!(late.offset.map(|o| o.local_minus_utc()), Some(3600));
        let plain = slot(None, Some(t("11:00")), d("2024-12-27"), None).expect("slot");
        assert_eq!((plain.date, plain.offset), (d("2024-12-27"), None));
        assert_eq!(slot(None, None, d("2024-12-27"), None), None);
    }
}
