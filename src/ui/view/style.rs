//! Styles for each role, from `[theme]`; `NO_COLOR` keeps the weights
//! (bold, dim, reverse) and drops the colours.

use ratatui::style::{Color, Modifier, Style};

use crate::config::Theme;
use crate::typeset::Role;

/// The styles the views use.
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    pub kicker: Style,
    pub title: Style,
    pub subtitle: Style,
    pub meta: Style,
    pub column: Style,
    pub body: Style,
    pub crosshead: Style,
    pub note: Style,
    pub caption_heading: Style,
    pub caption: Style,
    pub selected: Style,
    pub selected_idle: Style,
    pub unread: Style,
    pub starred: Style,
    pub status: Style,
    pub border: Style,
    pub header: Style,
    pub highlight: Style,
    pub feed: Style,
    pub dim: Style,
}

impl Styles {
    pub fn new(theme: &Theme, no_color: bool) -> Styles {
        let fg = |c: Color| {
            if no_color || c == Color::Reset {
                Style::new()
            } else {
                Style::new().fg(c)
            }
        };
        let selected = if no_color {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().bg(theme.selection).fg(Color::White)
        };
        Styles {
            kicker: fg(theme.kicker).add_modifier(Modifier::DIM),
            title: fg(theme.title).add_modifier(Modifier::BOLD),
            subtitle: fg(theme.subtitle),
            meta: fg(theme.meta),
            column: fg(theme.column),
            body: fg(theme.body),
            crosshead: fg(theme.body).add_modifier(Modifier::BOLD),
            note: fg(theme.subtitle),
            caption_heading: fg(theme.caption).add_modifier(Modifier::BOLD),
            caption: fg(theme.caption),
            selected,
            selected_idle: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            unread: fg(theme.unread).add_modifier(Modifier::BOLD),
            starred: fg(theme.starred),
            status: fg(theme.status).add_modifier(Modifier::REVERSED),
            border: fg(theme.border),
            header: fg(theme.title).add_modifier(Modifier::BOLD),
            highlight: fg(theme.highlight).add_modifier(Modifier::BOLD),
            feed: fg(theme.column).add_modifier(Modifier::BOLD),
            dim: fg(theme.meta),
        }
    }

    /// The style of a typeset line.
    pub fn role(&self, role: Role) -> Style {
        match role {
            Role::Kicker => self.kicker,
            Role::Title => self.title,
            Role::Subtitle => self.subtitle,
            Role::Meta => self.meta,
            Role::Column => self.column,
            Role::Body | Role::Blank => self.body,
            Role::Crosshead => self.crosshead,
            Role::Note => self.note,
            Role::CaptionHeading => self.caption_heading,
            Role::Caption => self.caption,
            Role::Link | Role::PictureNote { .. } => self.meta,
            Role::Picture { .. } => self.body,
        }
    }
}
