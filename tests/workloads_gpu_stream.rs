//! The read stream's whole-line kernel (`stream_read_tex_lines`) on a real adapter (lavapipe in
//! CI): every run length and workgroup size verified exactly against its CPU fold, including
//! workgroups that run past the last run, and the invalid run lengths rejected.

mod gpu_common;

use flopledger::workloads::kernel_config::StreamKernel;
use flopledger::workloads::stream_read::StreamRead;
use flopledger::workloads::{KernelConfig, Workload};
use gpu_common::gpu;

fn lines(wg: u32, run: u32) -> KernelConfig {
    KernelConfig::Stream(StreamKernel::ReadTexLines { wg, run })
}

#[test]
fn stream_read_in_whole_lines_matches_its_fold() {
    let Some(gpu) = gpu() else {
        eprintln!("no adapter: skipping");
        return;
    };
    // One strip (16 rows of 4096 texels: 16 runs of 4096, fewer than a workgroup of 64) and
    // three strips; runs of one line group (16 texels) up to a whole row.
    for w in [StreamRead::new(1), StreamRead::new(3 * 262_144)] {
        for (wg, run) in [
            (64, 4096),
            (64, 2048),
            (16, 4096),
            (64, 512),
            (8, 16),
            (256, 64),
        ] {
            let k = lines(wg, run);
            let p = w
                .prepare(gpu, 11, &k)
                .unwrap_or_else(|e| panic!("{} with {k:?}: {e:#}", w.id()));
            p.program().run_once(gpu).unwrap();
            let v = p.verify(gpu).unwrap();
            assert!(v.pass, "{} with {k:?} failed: {v:?}", w.id());
            assert_eq!(v.checked_elements, w.elements / 16);
        }
    }
}

#[test]
fn stream_read_in_whole_lines_rejects_runs_that_do_not_tile_a_row() {
    let Some(gpu) = gpu() else {
        return;
    };
    let w = StreamRead::new(1);
    for run in [0, 8, 24, 8192] {
        let k = lines(64, run);
        let err = w.prepare(gpu, 11, &k).err().expect("rejected");
        assert!(format!("{err:#}").contains("RUN"), "{run}: {err:#}");
    }
}

#[test]
fn the_whole_line_kernel_is_a_tuning_candidate_where_the_texture_fits() {
    let Some(gpu) = gpu() else {
        return;
    };
    let c = StreamRead::new(1).candidates(&gpu.info);
    assert!(c.iter().any(|k| k.name() == "stream_read_tex_lines"));
    // The default stays the column kernel: the tuner takes the lines only where faster.
    assert_ne!(
        StreamRead::new(1).default_kernel(&gpu.info).name(),
        "stream_read_tex_lines"
    );
}
