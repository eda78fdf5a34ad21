//! The only place that embeds shader sources.
