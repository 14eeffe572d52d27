//! Colours and emphasis. With `NO_COLOR` (or `color = false`) only bold,
//! reverse and underline are used, and every badge still reads as text.
use ratatui::style::{Color, Modifier, Style};

use crate::domain::model::Severity;
use crate::domain::sla::Badge;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn badge(&self, b: Badge) -> Style {
        match b {
            Badge::Breached => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Badge::AtRisk => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Badge::OnTrack => self.fg(Color::Green),
            Badge::Met | Badge::MetLate => self.fg(Color::DarkGray),
        }
    }

    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Major => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::Important => self.fg(Color::Yellow),
            Severity::General => Style::default(),
        }
    }

    pub fn header(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(Color::Cyan)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn alert(&self) -> Style {
        if self.color {
            Style::default()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn column_header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Characters of a name that a search matched.
    pub fn matched(&self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}
