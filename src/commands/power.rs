//! `flopledger power`: every adapter, the power and energy candidates for it, the one chosen
//! and why each other was not; with probing, each usable source's update period and step.

use crate::cli::PowerArgs;
use crate::error::FlError;
use crate::gpu::info::AdapterInfo;
use crate::power::probe::{probe, ProbeResult};
use crate::power::select::{select_all, Chosen, Env, SENSOR_ADVICE};
use crate::power::source::PowerSource;
use crate::power::types::PowerSelection;
use serde::Serialize;

/// Longest time spent probing one source (s).
const PROBE_MAX_S: f64 = 0.5;

/// What `power --json` prints; pinned by `tests/contracts/power.shape`.
#[derive(Debug, Serialize)]
struct PowerJson<'a> {
    adapters: &'a [AdapterPower],
}

/// What `power --json` prints for one adapter.
#[derive(Debug, Serialize)]
struct AdapterPower {
    index: usize,
    name: String,
    pci_ids: String,
    pci_bus_id: Option<String>,
    selection: PowerSelection,
    /// Probe results of the usable sources (empty with `--no-probe`).
    probes: Vec<SourceProbe>,
}

#[derive(Debug, Serialize)]
struct SourceProbe {
    id: String,
    /// `None` when the probe failed (then `error` says why) or saw fewer than two updates.
    update_period_ms: Option<f64>,
    smallest_step: Option<String>,
    error: Option<String>,
}

fn probe_one(source: &mut dyn PowerSource) -> SourceProbe {
    let id = source.meta().info.id.clone();
    match probe(source, PROBE_MAX_S) {
        Ok(ProbeResult {
            update_period_ms,
            smallest_step,
        }) => SourceProbe {
            id,
            update_period_ms,
            smallest_step,
            error: None,
        },
        Err(e) => SourceProbe {
            id,
            update_period_ms: None,
            smallest_step: None,
            error: Some(e.to_string()),
        },
    }
}

fn examine(env: &Env, adapter: &AdapterInfo, with_probe: bool) -> AdapterPower {
    let (chosen, mut selection, mut others) = select_all(env, adapter, None, None);
    let mut probes = Vec::new();
    if with_probe {
        if let Chosen::Measured(mut source) = chosen {
            probes.push(probe_one(source.as_mut()));
            selection.chosen = Some(source.meta().info.clone());
        }
        probes.extend(others.iter_mut().map(|s| probe_one(s.as_mut())));
    }
    AdapterPower {
        index: adapter.index,
        name: adapter.name.clone(),
        pci_ids: adapter.pci_ids(),
        pci_bus_id: adapter.pci_bus_id.clone(),
        selection,
        probes,
    }
}

fn print_text(a: &AdapterPower, with_advice: bool) {
    let bus = a.pci_bus_id.as_deref().unwrap_or("not reported");
    crate::wrapln!(
        "Adapter {}: {} [{}], PCI bus id {bus}",
        a.index,
        a.name,
        a.pci_ids
    );
    match &a.selection.chosen {
        Some(c) => {
            crate::wrapln!(
                "  chosen: {} ({}; scope {}; {})",
                c.id,
                c.method,
                kebab(c.scope),
                c.resolution.as_deref().unwrap_or("resolution unknown")
            );
            for caveat in &c.caveats {
                crate::wrapln!("    caveat: {caveat}");
            }
        }
        None => crate::wrapln!("  chosen: none (energy and FLOP/J will be n/a)"),
    }
    crate::wrapln!("  candidates:");
    for c in &a.selection.candidates {
        let mark = if c.chosen { "chosen" } else { "rejected" };
        let reason = if c.chosen {
            String::new()
        } else {
            format!(": {}", c.reason)
        };
        crate::wrapln!("    {mark:8} {} [{}]{reason}", c.id, kebab(c.kind));
    }
    for p in &a.probes {
        match (&p.error, p.update_period_ms) {
            (Some(e), _) => crate::wrapln!("  probe {}: failed: {e}", p.id),
            (None, Some(ms)) => crate::wrapln!(
                "  probe {}: updates every {ms:.1} ms, smallest step {}",
                p.id,
                p.smallest_step.as_deref().unwrap_or("n/a")
            ),
            (None, None) => crate::wrapln!(
                "  probe {}: fewer than two updates seen in {PROBE_MAX_S} s",
                p.id
            ),
        }
    }
    if let (true, Some(advice)) = (with_advice, &a.selection.advice) {
        crate::wrapln!("  advice: {advice}");
    }
}

/// The kebab-case name the JSON uses for a unit enum (source kind, scope).
fn kebab<T: Serialize + std::fmt::Debug>(value: T) -> String {
    serde_json::to_value(&value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{value:?}"))
}

pub fn run(args: &PowerArgs) -> anyhow::Result<i32> {
    let adapters = crate::gpu::enumerate();
    if adapters.is_empty() {
        return Err(FlError::NoAdapter {
            detail: format!(" (and so no sensor to pair; {SENSOR_ADVICE})"),
        }
        .into());
    }
    let env = Env::system();
    let report: Vec<AdapterPower> = adapters
        .iter()
        .map(|a| examine(&env, &a.info, !args.no_probe))
        .collect();
    if args.json {
        crate::outln!(
            "{}",
            serde_json::to_string_pretty(&PowerJson { adapters: &report })?
        );
    } else {
        // The sensor advice is printed once: per adapter when some adapter has a sensor,
        // else once for the machine.
        let none_anywhere = report.iter().all(|a| a.selection.chosen.is_none());
        for a in &report {
            print_text(a, !none_anywhere);
            crate::outln!();
        }
        if none_anywhere {
            crate::wrapln!(
                "No power sensor exists for any adapter on this machine. {SENSOR_ADVICE}."
            );
        }
    }
    Ok(0)
}
