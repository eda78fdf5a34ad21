//! The read stream: every element of one array read once, from a storage buffer or from a
//! texture, whichever the adapter reads faster (tuned). It is the bandwidth ceiling of kernels
//! that mostly read (GEMV's weights, attention's K and V), measured the ways those kernels can
//! read, as clpeak's read-only global-memory test does.
//!
//! - FLOPs: 0 (the XOR that keeps every load live is not counted).
//! - Minimum bytes: N · 4 read plus N · 4 / [`STRIP_ROWS`] written (one vec4 per strip).
//!
//! The array is laid out as rows of [`WIDTH`] vec4 texels, so N is a multiple of
//! 4 · [`WIDTH`] · [`STRIP_ROWS`] (1 MiB of data). Kernels: `stream_read` and `stream_read_tex`
//! fold each column of a strip of [`STRIP_ROWS`] rows (one invocation per column, its loads one
//! row apart); `stream_read_tex_lines` (a tuning candidate) gives each invocation RUN
//! contiguous texels of one row, read a whole 64-byte line per chain and step as the blocked
//! batch-1 GEMV reads its weights, and folds each group of 16 consecutive texels. Both write
//! one vec4 per 16 texels read, so the minimum bytes are the same.
//!
//! Like the cold GEMV and decode cases it bounds, the read stream rotates over copies of its
//! array, one per run, until they cover twice the last-level cache ([`cold`]): on a host
//! whose cache is larger than half the biggest array the adapter can bind, one array alone
//! would be read partly from the cache.

use super::cold;
use super::kind::{Dtype, Shape, WorkloadKind};
use super::verify::{summarize, Check};
use super::workload::{check_buffers, Prepared, Workload};
use crate::gpu::info::AdapterInfo;
use crate::gpu::{Dispatch, Gpu, Program, SAFE_TEXTURE_SIDE};
use crate::rng::SplitMix64;
use crate::workloads::kernel_config::{KernelConfig, StreamKernel};
use crate::workloads::Verification;
use anyhow::{bail, Result};

/// Texels (vec4s) per row of the source.
pub const WIDTH: u32 = 4096;
/// Rows folded into one output texel.
pub const STRIP_ROWS: u32 = 16;
/// Consecutive texels the lines kernel folds into one output texel (as many as a strip's
/// rows, so that both kernels write the same bytes).
const LINE_GROUP: u32 = STRIP_ROWS;
/// The lines kernel's tuning candidates: (invocations per workgroup, texels per invocation).
const LINES: &[(u32, u32)] = &[(64, 4096), (64, 2048), (64, 512)];
/// Elements in one row strip: the granularity of the array length.
const STRIP_ELEMENTS: u64 = 4 * WIDTH as u64 * STRIP_ROWS as u64;

/// One read-stream case of `elements` f32-sized elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamRead {
    pub elements: u64,
}

impl StreamRead {
    /// The granularity of the array length (a suite file's sizes must be multiples of it).
    pub const UNIT_ELEMENTS: u64 = STRIP_ELEMENTS;

    /// `elements` rounded up to whole strips (at least one).
    pub fn new(elements: u64) -> Self {
        Self {
            elements: elements.max(1).next_multiple_of(STRIP_ELEMENTS),
        }
    }
    fn height(&self) -> u64 {
        self.elements / 4 / u64::from(WIDTH)
    }
    fn out_texels(&self) -> u64 {
        self.height() / u64::from(STRIP_ROWS) * u64::from(WIDTH)
    }
    /// Why the storage kernel cannot read this array here, if so.
    fn storage_unfit(&self, info: &AdapterInfo) -> Option<String> {
        check_buffers(info, &[("array", u128::from(self.elements) * 4)])
    }
    /// Why the texture kernel cannot read this array, if so: its height must fit the 8192 rows
    /// every WebGPU adapter allows (a texture's side limit is not in [`AdapterInfo`]).
    fn texture_unfit(&self) -> Option<String> {
        let max = u64::from(SAFE_TEXTURE_SIDE);
        (self.height() > max).then(|| {
            format!(
                "the texture needs {} rows of {WIDTH} texels but the adapter allows {max}; use a smaller size",
                self.height()
            )
        })
    }
    /// The kernels with `wg` invocations per workgroup that can read this array here, texture
    /// first on CPU adapters (where a texel fetch is one load per lane, a storage load one per
    /// component).
    fn kernels(&self, info: &AdapterInfo, wg: u32) -> Vec<KernelConfig> {
        let tex = self
            .texture_unfit()
            .is_none()
            .then_some(StreamKernel::ReadTex { wg });
        let sto = self
            .storage_unfit(info)
            .is_none()
            .then_some(StreamKernel::Read { wg });
        let order = if info.is_software() {
            [tex, sto]
        } else {
            [sto, tex]
        };
        order
            .into_iter()
            .flatten()
            .map(KernelConfig::Stream)
            .collect()
    }
}

impl Workload for StreamRead {
    fn kind(&self) -> WorkloadKind {
        WorkloadKind::StreamRead
    }
    fn dtype(&self) -> Dtype {
        Dtype::F32
    }
    fn shape(&self) -> Shape {
        Shape::Stream {
            elements: self.elements,
        }
    }
    fn flops(&self) -> f64 {
        0.0
    }
    /// N · 4 bytes read and N · 4 / R written.
    fn min_bytes(&self) -> f64 {
        (self.elements * 4 + self.out_texels() * 16) as f64
    }
    fn unsupported(&self, info: &AdapterInfo) -> Option<String> {
        match (self.storage_unfit(info), self.texture_unfit()) {
            (Some(buffer), Some(texture)) => Some(format!("{buffer}; {texture}")),
            _ => None,
        }
    }
    fn default_kernel(&self, info: &AdapterInfo) -> KernelConfig {
        self.kernels(info, 64)
            .into_iter()
            .next()
            .unwrap_or(KernelConfig::Stream(StreamKernel::Read { wg: 64 }))
    }
    /// Both sources at 64 and 256 invocations per workgroup, the default first, then the
    /// texture read in runs of whole lines ([`LINES`]) where the texture fits.
    fn candidates(&self, info: &AdapterInfo) -> Vec<KernelConfig> {
        let lines = LINES
            .iter()
            .filter(|_| self.texture_unfit().is_none())
            .map(|&(wg, run)| KernelConfig::Stream(StreamKernel::ReadTexLines { wg, run }));
        [64, 256]
            .into_iter()
            .flat_map(|wg| self.kernels(info, wg))
            .chain(lines)
            .collect()
    }
    /// One key per height (rows of [`WIDTH`] texels): the lines kernel runs rows · WIDTH / RUN
    /// invocations, so the RUN that is fastest over 256 MiB, shared with a 1 MiB array, left the
    /// small one a single workgroup (one thread on lavapipe). Each size is tuned for itself.
    fn tune_key(&self) -> String {
        format!("{}-h{}", self.kind().id(), self.height())
    }

    fn prepare(&self, gpu: &Gpu, seed: u64, kernel: &KernelConfig) -> Result<Box<dyn Prepared>> {
        let name = kernel.name();
        // (invocations per workgroup, texture, texels per invocation along a row for the
        // lines kernel)
        let (wg, texture, run) = match kernel {
            KernelConfig::Stream(StreamKernel::Read { wg }) => (*wg, false, None),
            KernelConfig::Stream(StreamKernel::ReadTex { wg }) => (*wg, true, None),
            KernelConfig::Stream(StreamKernel::ReadTexLines { wg, run }) => (*wg, true, Some(*run)),
            _ => bail!("kernel {name} does not run {}", self.id()),
        };
        if wg == 0 || !WIDTH.is_multiple_of(wg) || wg > gpu.info.limits.max_compute_workgroup_size_x
        {
            bail!("kernel {name} needs WG dividing {WIDTH}, within the adapter's workgroup size");
        }
        if let Some(run) = run {
            if run == 0 || !run.is_multiple_of(LINE_GROUP) || !WIDTH.is_multiple_of(run) {
                bail!("kernel {name} needs RUN a multiple of {LINE_GROUP} dividing {WIDTH}");
            }
        }
        let unfit = if texture {
            self.texture_unfit()
        } else {
            self.storage_unfit(&gpu.info)
        };
        if let Some(why) = unfit {
            bail!("kernel {name}: {why}");
        }
        let height = self.height() as u32;
        let max_groups = gpu.info.limits.max_compute_workgroups_per_dimension;
        let groups = match run {
            None => [WIDTH / wg, height / STRIP_ROWS, 1],
            Some(run) => [(height * (WIDTH / run)).div_ceil(wg), 1, 1],
        };
        if groups[0] > max_groups || groups[1] > max_groups {
            bail!("kernel {name}: {groups:?} workgroups exceed the adapter's {max_groups} per dimension; use a smaller size");
        }
        let id = self.id();
        let src: Vec<u32> = SplitMix64::for_stream(seed, &format!("{id}/src"))
            .f32_vec(self.elements as usize)
            .iter()
            .map(|v| v.to_bits())
            .collect();
        let out = gpu.storage_zeroed("out", self.out_texels() * 16);
        let dims = gpu.uniform("dims", bytemuck::cast_slice(&[WIDTH, height, 0, 0]));
        let shader = kernel.shader();
        let constants = match run {
            None => vec![("WG", f64::from(wg)), ("R", f64::from(STRIP_ROWS))],
            Some(run) => vec![("WG", f64::from(wg)), ("RUN", f64::from(run))],
        };
        let pipeline = gpu.pipeline(shader.name(), shader.source(), "main", &constants)?;
        let bytes: &[u8] = bytemuck::cast_slice(&src);
        // Every run reads the next copy of the array, the copies together covering twice the
        // last-level cache where the array alone does not (`cold`): the ceiling is then
        // measured beyond the cache, as the cold GEMV and decode cases it bounds are.
        let copies = cold::copies_on(&gpu.info, self.elements * 4);
        let binds = (0..copies)
            .map(|_| {
                if texture {
                    let format = wgpu::TextureFormat::Rgba32Uint;
                    let view = gpu.texture_init("src", (WIDTH, height), format, bytes)?;
                    let src = wgpu::BindingResource::TextureView(&view);
                    Ok(gpu.bind_resources(
                        &pipeline,
                        [src, out.as_entire_binding(), dims.as_entire_binding()],
                    ))
                } else {
                    let buffer = gpu.storage_init("src", bytes);
                    Ok(gpu.bind(&pipeline, &[&buffer, &out, &dims]))
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let want = match run {
            None => fold(&src),
            Some(_) => fold_lines(&src),
        };
        Ok(Box::new(PreparedRead {
            want,
            out,
            program: Program::new(vec![Dispatch::rotating(pipeline, binds, groups)]),
        }))
    }
}

/// The expected output: for each strip and column, the XOR of its R texels, as u32 words.
fn fold(src: &[u32]) -> Vec<u32> {
    let row = 4 * WIDTH as usize;
    src.chunks(row * STRIP_ROWS as usize)
        .flat_map(|strip| (0..row).map(move |w| strip.chunks(row).fold(0u32, |acc, r| acc ^ r[w])))
        .collect()
}

/// The lines kernel's expected output: the XOR of each [`LINE_GROUP`] consecutive texels of the
/// array (row-major), as u32 words; as many words as [`fold`]'s.
fn fold_lines(src: &[u32]) -> Vec<u32> {
    src.chunks(4 * LINE_GROUP as usize)
        .flat_map(|g| {
            let mut acc = [0u32; 4];
            for t in g.chunks(4) {
                for (a, w) in acc.iter_mut().zip(t) {
                    *a ^= w;
                }
            }
            acc
        })
        .collect()
}

struct PreparedRead {
    want: Vec<u32>,
    out: wgpu::Buffer,
    program: Program,
}

impl Prepared for PreparedRead {
    fn program(&self) -> &Program {
        &self.program
    }
    fn verify(&self, gpu: &Gpu) -> Result<Verification> {
        let got: Vec<u32> = bytemuck::pod_collect_to_vec(&gpu.read(&self.out)?);
        if got.len() != self.want.len() {
            bail!(
                "read back {} words, expected {}",
                got.len(),
                self.want.len()
            );
        }
        let method = format!("all {} XOR folds against the CPU (exact)", self.want.len());
        let checks = self.want.iter().zip(&got).map(|(&want, &got)| Check {
            got: f64::from(got),
            want: f64::from(want),
            bound: 0.0,
        });
        Ok(summarize(checks, method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_whole_strips_and_bytes() {
        let s = StreamRead::new(1);
        assert_eq!(s.elements, 262_144);
        assert_eq!((s.height(), s.out_texels()), (16, 4096));
        // 1 MiB read, 64 KiB written.
        assert_eq!(s.min_bytes(), (1_048_576 + 65_536) as f64);
        assert_eq!(s.flops(), 0.0);
        assert_eq!(s.id(), "stream-read-f32-n262144");
        assert_eq!(StreamRead::new(262_145).elements, 524_288);
    }

    /// Each size keeps its own tuned kernel: 1 MiB and 256 MiB do not share one.
    #[test]
    fn each_height_is_tuned_apart() {
        let (small, large) = (StreamRead::new(1 << 18), StreamRead::new(1 << 26));
        assert_eq!(small.tune_key(), "stream-read-h16");
        assert_eq!(large.tune_key(), "stream-read-h4096");
        assert_eq!(StreamRead::new(1).tune_key(), small.tune_key());
    }

    #[test]
    fn folds_each_strip_column() {
        let row = 4 * WIDTH as usize;
        let mut src = vec![0u32; row * STRIP_ROWS as usize * 2];
        src[5] = 0b01; // strip 0, row 0, word 5
        src[row * 3 + 5] = 0b11; // strip 0, row 3, word 5
        src[row * STRIP_ROWS as usize + 7] = 9; // strip 1, row 0, word 7
        let f = fold(&src);
        assert_eq!(f.len(), 2 * row);
        assert_eq!((f[5], f[row + 7], f[6]), (0b10, 9, 0));
    }

    #[test]
    fn folds_each_group_of_16_consecutive_texels() {
        let row = 4 * WIDTH as usize;
        let mut src = vec![0u32; row * STRIP_ROWS as usize];
        src[1] = 0b01; // texel 0, word 1
        src[4 * 15 + 1] = 0b11; // texel 15, word 1: the same group
        src[4 * 16 + 2] = 5; // texel 16, word 2: the next group
        let f = fold_lines(&src);
        assert_eq!(f.len(), fold(&src).len());
        assert_eq!((f[1], f[4 + 2], f[2], f[5]), (0b10, 5, 0, 0));
    }
}
