//! The kernels written as `.wgsl.tmpl` templates: each expansion (its `{{FIELD}}`s filled
//! with element types, widening, accumulator or source) as a lazily built string.

use std::sync::LazyLock;

/// `gemm_f32_unrolled`, `gemm_f16_unrolled` and their `_sg` forms: two templates written by
/// one script (shaders/gen/gemm_unrolled.py), the element types and the widening to f32 filled
/// in here.
const GEMM_UNROLLED: &str = include_str!("../../shaders/gemm_unrolled.wgsl.tmpl");
const GEMM_UNROLLED_SG: &str = include_str!("../../shaders/gemm_unrolled_sg.wgsl.tmpl");
const GEMM_F32_FIELDS: &[(&str, &str)] = &[
    ("WHAT", "f32 storage and arithmetic"),
    ("ENABLE", ""),
    ("AB", "vec4<f32>"),
    ("C", "vec4<f32>"),
    ("C_NOTE", ""),
    ("WIDEN", "v"),
];
const GEMM_F16_FIELDS: &[(&str, &str)] = &[
    ("WHAT", "f16 storage and f32 accumulation"),
    ("ENABLE", "\nenable f16;\n"),
    ("AB", "vec2<u32>"),
    ("C", "vec4<f16>"),
    ("C_NOTE", ", rounded once from f32"),
    (
        "WIDEN",
        "vec4<f32>(unpack2x16float(v.x), unpack2x16float(v.y))",
    ),
];
/// How an `_sg` kernel holds its lane's A value until the broadcast (`AH`, `HOLD`) and widens
/// the broadcast value (`AFTER`): f16 is widened once per load, before the broadcast.
const GEMM_SG_F32_HOLD: &[(&str, &str)] = &[("AH", "vec4<f32>"), ("HOLD", "v"), ("AFTER", "v")];
const GEMM_SG_F16_HOLD: &[(&str, &str)] = &[("AH", "vec4<f32>"), ("HOLD", "h4(v)"), ("AFTER", "v")];
pub(super) static GEMM_F32_UNROLLED: LazyLock<String> =
    LazyLock::new(|| expand_named(GEMM_UNROLLED, "gemm_f32_unrolled", &[GEMM_F32_FIELDS]));
pub(super) static GEMM_F16_UNROLLED: LazyLock<String> =
    LazyLock::new(|| expand_named(GEMM_UNROLLED, "gemm_f16_unrolled", &[GEMM_F16_FIELDS]));
pub(super) static GEMM_F32_UNROLLED_SG: LazyLock<String> = LazyLock::new(|| {
    expand_named(
        GEMM_UNROLLED_SG,
        "gemm_f32_unrolled_sg",
        &[GEMM_F32_FIELDS, GEMM_SG_F32_HOLD],
    )
});
pub(super) static GEMM_F16_UNROLLED_SG: LazyLock<String> = LazyLock::new(|| {
    expand_named(
        GEMM_UNROLLED_SG,
        "gemm_f16_unrolled_sg",
        &[GEMM_F16_FIELDS, GEMM_SG_F16_HOLD],
    )
});
/// The texture forms (`gemm_unrolled_tex`): a texel as one element of A or B (`TEXEL`, from
/// the `vec4<u32>` `t`): f32 bits in Rgba32Uint, four halves in Rg32Uint.
const GEMM_UNROLLED_TEX: &str = include_str!("../../shaders/gemm_unrolled_tex.wgsl.tmpl");
pub(super) static GEMM_F32_UNROLLED_TEX: LazyLock<String> = LazyLock::new(|| {
    expand_named(
        GEMM_UNROLLED_TEX,
        "gemm_f32_unrolled_tex",
        &[GEMM_F32_FIELDS, &[("TEXEL", "bitcast<vec4<f32>>(t)")]],
    )
});
pub(super) static GEMM_F16_UNROLLED_TEX: LazyLock<String> = LazyLock::new(|| {
    expand_named(
        GEMM_UNROLLED_TEX,
        "gemm_f16_unrolled_tex",
        &[GEMM_F16_FIELDS, &[("TEXEL", "t.xy")]],
    )
});
/// `gemm_f16_unrolled_tex8`: the f16 texture form with B's texels holding 8 halves
/// (Rgba32Uint, two vec4 columns per fetch); A as in `gemm_f16_unrolled_tex`.
const GEMM_UNROLLED_TEX8: &str = include_str!("../../shaders/gemm_unrolled_tex8.wgsl.tmpl");
pub(super) static GEMM_F16_UNROLLED_TEX8: LazyLock<String> = LazyLock::new(|| {
    expand_named(
        GEMM_UNROLLED_TEX8,
        "gemm_f16_unrolled_tex8",
        &[GEMM_F16_FIELDS, &[("TEXEL", "t.xy")]],
    )
});

/// The read streams (`stream_read.wgsl.tmpl`): a texel at (x, y) from a storage array of rows
/// of `dims.width` vec4s, or from an Rgba32Uint texture.
const STREAM_READ_TMPL: &str = include_str!("../../shaders/stream_read.wgsl.tmpl");
pub(super) static STREAM_READ: LazyLock<String> = LazyLock::new(|| {
    expand_named(
        STREAM_READ_TMPL,
        "stream_read",
        &[&[
            ("FROM", "a storage buffer"),
            ("SRC", "var<storage, read> src: array<vec4<u32>>"),
            ("LOAD", "src[y * dims.width + x]"),
        ]],
    )
});
pub(super) static STREAM_READ_TEX: LazyLock<String> = LazyLock::new(|| {
    expand_named(
        STREAM_READ_TMPL,
        "stream_read_tex",
        &[&[
            ("FROM", "an Rgba32Uint texture"),
            ("SRC", "var src: texture_2d<u32>"),
            ("LOAD", "textureLoad(src, vec2<u32>(x, y), 0)"),
        ]],
    )
});

/// The FMA peaks (`peak_fma.wgsl.tmpl`): one kernel, the arithmetic type (`T`, its literal
/// suffix `H`, the conversions from the f32 seeds `NARROW` and to the f32 sum `WIDEN`) filled
/// in, so that the f32 and f16 ceilings run the same chains. f32 leaves the conversions empty
/// rather than `f32(x)`, which naga would keep as an identity cast: its expansion is the IR of
/// the peak_fma_f32.wgsl it replaced.
const PEAK_FMA: &str = include_str!("../../shaders/peak_fma.wgsl.tmpl");
pub(super) static PEAK_FMA_F32: LazyLock<String> = LazyLock::new(|| {
    expand_named(
        PEAK_FMA,
        "peak_fma_f32",
        &[&[
            ("T", "f32"),
            ("H", ""),
            ("NARROW", ""),
            ("WIDEN", ""),
            ("ENABLE", ""),
            ("SEEDS", "seeded on the host"),
        ]],
    )
});
pub(super) static PEAK_FMA_F16: LazyLock<String> = LazyLock::new(|| {
    expand_named(
        PEAK_FMA,
        "peak_fma_f16",
        &[&[
            ("T", "f16"),
            ("H", "h"),
            ("NARROW", "f16"),
            ("WIDEN", "vec4<f32>"),
            ("ENABLE", "\nenable f16;\n"),
            ("SEEDS", "values exact in f16"),
        ]],
    )
});

/// The cooperative-matrix GEMMs: one template per matrix side, the accumulator type filled in.
const GEMM_F16_COOP16: &str = include_str!("../../shaders/gemm_f16_coop16.wgsl.tmpl");
const GEMM_F16_COOP8: &str = include_str!("../../shaders/gemm_f16_coop8.wgsl.tmpl");
pub(super) static GEMM_F16_COOP16_F32ACC: LazyLock<String> =
    LazyLock::new(|| expand(GEMM_F16_COOP16, &[("ACC", "f32")]));
pub(super) static GEMM_F16_COOP16_F16ACC: LazyLock<String> =
    LazyLock::new(|| expand(GEMM_F16_COOP16, &[("ACC", "f16")]));
pub(super) static GEMM_F16_COOP8_F32ACC: LazyLock<String> =
    LazyLock::new(|| expand(GEMM_F16_COOP8, &[("ACC", "f32")]));
pub(super) static GEMM_F16_COOP8_F16ACC: LazyLock<String> =
    LazyLock::new(|| expand(GEMM_F16_COOP8, &[("ACC", "f16")]));
/// The cooperative-matrix GEMMs with A and B staged through workgroup memory.
const GEMM_F16_COOP16S: &str = include_str!("../../shaders/gemm_f16_coop16s.wgsl.tmpl");
const GEMM_F16_COOP8S: &str = include_str!("../../shaders/gemm_f16_coop8s.wgsl.tmpl");
pub(super) static GEMM_F16_COOP16S_F32ACC: LazyLock<String> =
    LazyLock::new(|| expand(GEMM_F16_COOP16S, &[("ACC", "f32")]));
pub(super) static GEMM_F16_COOP16S_F16ACC: LazyLock<String> =
    LazyLock::new(|| expand(GEMM_F16_COOP16S, &[("ACC", "f16")]));
pub(super) static GEMM_F16_COOP8S_F32ACC: LazyLock<String> =
    LazyLock::new(|| expand(GEMM_F16_COOP8S, &[("ACC", "f32")]));
pub(super) static GEMM_F16_COOP8S_F16ACC: LazyLock<String> =
    LazyLock::new(|| expand(GEMM_F16_COOP8S, &[("ACC", "f16")]));

/// `template` with `{{NAME}}` replaced by `name` and every other `{{KEY}}` by its value.
fn expand_named(template: &str, name: &str, fields: &[&[(&str, &str)]]) -> String {
    let all: Vec<(&str, &str)> = fields.iter().flat_map(|f| f.iter().copied()).collect();
    expand(&expand(template, &[("NAME", name)]), &all)
}

/// `template` with every `{{KEY}}` replaced by its value.
fn expand(template: &str, fields: &[(&str, &str)]) -> String {
    fields.iter().fold(template.to_string(), |s, (key, value)| {
        s.replace(&format!("{{{{{key}}}}}"), value)
    })
}
