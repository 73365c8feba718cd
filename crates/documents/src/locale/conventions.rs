//! The number and date conventions of each supported locale.

/// Where the currency symbol goes relative to the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SymbolPlacement {
    /// `$1,234.56`; symbols that are letters (`CHF`) get a space: `CHF 1,234.56`.
    Before,
    /// `1.234,56 €`, always with a space.
    After,
}

/// How the short date form is put together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ShortDate {
    /// `Nov 21, 2026`
    MonthFirst,
    /// `21 Nov 2026`
    DayFirst,
    /// `21.11.2026`
    Dotted,
    /// `21/11/2026`
    Slashed,
}

/// The formatting conventions of one locale.
pub(super) struct LocaleData {
    /// Decimal separator.
    pub decimal: char,
    /// Thousands separator.
    pub group: char,
    /// Where the currency symbol goes.
    pub symbol: SymbolPlacement,
    /// Whether the percent sign is separated by a space (`19 %` in German and French).
    pub percent_space: bool,
    /// Layout of short dates.
    pub short_date: ShortDate,
    /// Long dates put the day first (`21. November 2026`) unless this is set.
    pub long_month_first: bool,
    /// Day suffix in long dates (`21.` in German).
    pub long_day_suffix: &'static str,
    /// Month names as used in long dates.
    pub months: [&'static str; 12],
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub(super) const EN_US: LocaleData = LocaleData {
    decimal: '.',
    group: ',',
    symbol: SymbolPlacement::Before,
    percent_space: false,
    short_date: ShortDate::MonthFirst,
    long_month_first: true,
    long_day_suffix: "",
    months: EN_MONTHS,
};

pub(super) const EN_GB: LocaleData = LocaleData {
    short_date: ShortDate::DayFirst,
    long_month_first: false,
    ..EN_US
};

pub(super) const DE_DE: LocaleData = LocaleData {
    decimal: ',',
    group: '.',
    symbol: SymbolPlacement::After,
    percent_space: true,
    short_date: ShortDate::Dotted,
    long_month_first: false,
    long_day_suffix: ".",
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
};

pub(super) const FR_FR: LocaleData = LocaleData {
    decimal: ',',
    group: ' ',
    symbol: SymbolPlacement::After,
    percent_space: true,
    short_date: ShortDate::Slashed,
    long_month_first: false,
    long_day_suffix: "",
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
};

pub(super) const PL_PL: LocaleData = LocaleData {
    decimal: ',',
    group: ' ',
    symbol: SymbolPlacement::After,
    percent_space: false,
    short_date: ShortDate::Dotted,
    long_month_first: false,
    long_day_suffix: "",
    // Polish dates use the genitive month form ("21 listopada 2026").
    months: [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
};
