//! The opened device: buffers, pipelines with `override` constants, read-back and polling.

use super::adapters::FoundAdapter;
use super::info::AdapterInfo;
use anyhow::{anyhow, Context, Result};
use wgpu::util::DeviceExt;

/// Texture side every WebGPU adapter supports (the minimum of `max_texture_dimension_2d`): the
/// texture kernels are offered only where their textures fit it.
pub const SAFE_TEXTURE_SIDE: u32 = 8192;

/// An opened adapter with its device and queue. The only place wgpu buffers and pipelines are
/// created.
pub struct Gpu {
    pub info: AdapterInfo,
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    /// Whether kernels are compiled with wgpu's runtime checks ([`Gpu::pipeline`]); off
    /// unless `run --shader-checks`.
    pub shader_checks: bool,
}

impl Gpu {
    /// Opens the adapter with every limit it supports and the compute features flopledger uses
    /// (timestamp queries, f16, subgroups, cooperative matrices) where it has them.
    pub fn open(found: FoundAdapter) -> Result<Self> {
        let wanted = wgpu::Features::TIMESTAMP_QUERY
            | wgpu::Features::SHADER_F16
            | wgpu::Features::SUBGROUP
            | wgpu::Features::EXPERIMENTAL_COOPERATIVE_MATRIX;
        let features = found.adapter.features() & wanted;
        let experimental = if features.contains(wgpu::Features::EXPERIMENTAL_COOPERATIVE_MATRIX) {
            // SAFETY: wgpu asks callers of EXPERIMENTAL features to accept that their
            // implementation may still have bugs. flopledger uses only cooperative-matrix
            // loads, stores and multiply-adds within buffer bounds (the gemm-coop workload
            // plans only shapes whose tiles fit), and verifies every result on the CPU.
            unsafe { wgpu::ExperimentalFeatures::enabled() }
        } else {
            wgpu::ExperimentalFeatures::disabled()
        };
        let desc = wgpu::DeviceDescriptor {
            label: Some("flopledger"),
            required_features: features,
            required_limits: found.adapter.limits(),
            experimental_features: experimental,
            ..Default::default()
        };
        let (device, queue) = pollster::block_on(found.adapter.request_device(&desc))
            .with_context(|| format!("could not open adapter '{}'", found.info.name))?;
        Ok(Self {
            info: found.info,
            adapter: found.adapter,
            device,
            queue,
            shader_checks: false,
        })
    }

    /// Largest storage binding this device accepts, in bytes.
    pub fn max_binding_bytes(&self) -> u64 {
        self.info
            .limits
            .max_storage_buffer_binding_size
            .min(self.info.limits.max_buffer_size)
    }

    /// A storage buffer holding `data`.
    pub fn storage_init(&self, label: &str, data: &[u8]) -> wgpu::Buffer {
        self.device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: data,
                usage: wgpu::BufferUsages::STORAGE
                    | wgpu::BufferUsages::COPY_SRC
                    | wgpu::BufferUsages::COPY_DST,
            })
    }

    /// A zero-filled storage buffer of `bytes` bytes (rounded up to 4).
    pub fn storage_zeroed(&self, label: &str, bytes: u64) -> wgpu::Buffer {
        self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: bytes.max(4).next_multiple_of(4),
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_SRC
                | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    /// A new storage buffer holding a copy of `src` (a storage buffer), copied on the device.
    pub fn storage_copy(&self, label: &str, src: &wgpu::Buffer) -> wgpu::Buffer {
        let dst = self.storage_zeroed(label, src.size());
        let mut enc = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some(label) });
        enc.copy_buffer_to_buffer(src, 0, &dst, 0, src.size());
        self.queue.submit([enc.finish()]);
        dst
    }

    /// A `width` × `height` 2-D texture of `format` holding `data` (rows of `width` texels),
    /// bound for `textureLoad`, as a view; an error when a side exceeds the adapter's limit.
    pub fn texture_init(
        &self,
        label: &str,
        (width, height): (u32, u32),
        format: wgpu::TextureFormat,
        data: &[u8],
    ) -> Result<wgpu::TextureView> {
        let max = self.device.limits().max_texture_dimension_2d;
        if width.max(height) > max {
            return Err(anyhow!(
                "texture {label} would be {width} × {height} texels, beyond the adapter's {max} a side; use a storage-buffer kernel or a smaller shape"
            ));
        }
        let desc = wgpu::TextureDescriptor {
            label: Some(label),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        };
        let order = wgpu::util::TextureDataOrder::LayerMajor;
        Ok(self
            .device
            .create_texture_with_data(&self.queue, &desc, order, data)
            .create_view(&wgpu::TextureViewDescriptor::default()))
    }

    /// A uniform buffer holding `data`.
    pub fn uniform(&self, label: &str, data: &[u8]) -> wgpu::Buffer {
        self.device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: data,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            })
    }

    /// Compiles `source` and builds a compute pipeline for `entry` with the given `override`
    /// constants. The module is compiled without wgpu's runtime checks unless `shader_checks`:
    /// wgpu otherwise clamps every index into a workgroup or local array, bounds every loop
    /// with a counter, guards every integer division and (without the driver's robust image
    /// access) clamps every texel fetch, work a kernel written for the hardware does not do and
    /// that wgpu's own issues report costing up to 100× in loops (gfx-rs/wgpu#7698). The
    /// kernels are this tool's, keep their indices within their arrays by construction, and
    /// every result is verified against the CPU reference. Validation errors come back as
    /// `Err` with wgpu's message, and so does a panic of the shader compiler (naga 30's SPIR-V
    /// writer panicked on every cooperative-matrix kernel until 4 December 2026): the case is
    /// skipped with the reason and the run goes on, instead of the whole run ending with the
    /// cases still to come unmeasured.
    pub fn pipeline(
        &self,
        label: &str,
        source: &str,
        entry: &str,
        constants: &[(&str, f64)],
    ) -> Result<wgpu::ComputePipeline> {
        let scope = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let desc = wgpu::ShaderModuleDescriptor {
            label: Some(label),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        };
        let built = super::contained::contained(|| {
            let module = if self.shader_checks {
                self.device.create_shader_module(desc)
            } else {
                // SAFETY: wgpu asks callers of the trusted path to pass only shaders that index
                // within bounds, loop finitely and divide by non-zero values; the sources are
                // this tool's own kernels (shaders/), written so (every loop runs to a bound
                // from the dimensions, every index is within its array for the shapes the
                // workloads plan) and verified against the CPU reference on every run.
                unsafe {
                    self.device
                        .create_shader_module_trusted(desc, wgpu::ShaderRuntimeChecks::unchecked())
                }
            };
            self.device
                .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                    label: Some(label),
                    layout: None,
                    module: &module,
                    entry_point: Some(entry),
                    compilation_options: wgpu::PipelineCompilationOptions {
                        constants,
                        zero_initialize_workgroup_memory: false,
                    },
                    cache: None,
                })
        });
        let scoped = pollster::block_on(scope.pop());
        let pipeline = built.map_err(|what| {
            anyhow!(
                "shader '{label}' failed to build: the shader compiler (wgpu/naga) panicked \
                 ({what}), a bug in the compiler or the kernel, not in the setup; the case is \
                 skipped, the others run (`flopledger devices --json` describes the adapter \
                 for a bug report)"
            )
        })?;
        if let Some(err) = scoped {
            return Err(anyhow!("shader '{label}' failed to build: {err}"));
        }
        Ok(pipeline)
    }

    /// A bind group of `pipeline`'s group 0 with `buffers` at bindings 0, 1, ….
    pub fn bind(
        &self,
        pipeline: &wgpu::ComputePipeline,
        buffers: &[&wgpu::Buffer],
    ) -> wgpu::BindGroup {
        self.bind_resources(pipeline, buffers.iter().map(|b| b.as_entire_binding()))
    }

    /// A bind group of `pipeline`'s group 0 with `resources` (buffers, texture views) at
    /// bindings 0, 1, ….
    pub fn bind_resources<'r>(
        &self,
        pipeline: &wgpu::ComputePipeline,
        resources: impl IntoIterator<Item = wgpu::BindingResource<'r>>,
    ) -> wgpu::BindGroup {
        let entries: Vec<wgpu::BindGroupEntry<'_>> = resources
            .into_iter()
            .enumerate()
            .map(|(i, resource)| wgpu::BindGroupEntry {
                binding: i as u32,
                resource,
            })
            .collect();
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        })
    }

    /// Blocks until all submitted work is done.
    pub fn wait(&self) -> Result<()> {
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map(|_| ())
            .map_err(|e| anyhow!("waiting for the GPU failed: {e}"))
    }

    /// Copies `buffer` to the host and returns its bytes.
    pub fn read(&self, buffer: &wgpu::Buffer) -> Result<Vec<u8>> {
        let size = buffer.size();
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut enc = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        enc.copy_buffer_to_buffer(buffer, 0, &staging, 0, size);
        self.queue.submit([enc.finish()]);
        let (tx, rx) = std::sync::mpsc::channel();
        staging.map_async(wgpu::MapMode::Read, .., move |r| {
            let _ = tx.send(r);
        });
        self.wait()?;
        rx.recv()
            .context("buffer mapping was dropped")?
            .map_err(|e| anyhow!("could not map the result buffer: {e}"))?;
        let bytes = staging
            .get_mapped_range(..)
            .map_err(|e| anyhow!("could not read the result buffer: {e}"))?
            .to_vec();
        staging.unmap();
        Ok(bytes)
    }

    /// Reads `buffer` as `f32`s.
    pub fn read_f32(&self, buffer: &wgpu::Buffer) -> Result<Vec<f32>> {
        Ok(bytemuck::pod_collect_to_vec(&self.read(buffer)?))
    }
}
