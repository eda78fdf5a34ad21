use super::*;

#[test]
fn launch_checks_bounds_and_sizes_the_dispatch() {
    let l = launch(
        &regblock_config(Dtype::F32, 8, 8, 8, 2),
        Dtype::F32,
        100,
        64,
    )
    .unwrap();
    assert_eq!(l.groups, [1, 2, 1]); // 16 vec4 cols / (2·8); 100 rows / (8·8)
    assert!(launch(&regblock_config(Dtype::F32, 8, 8, 33, 2), Dtype::F32, 1, 4).is_err());
    assert!(launch(&regblock_config(Dtype::F16, 8, 8, 9, 2), Dtype::F16, 1, 4).is_err());
    assert!(launch(&regblock_config(Dtype::F16, 8, 8, 8, 2), Dtype::F32, 1, 4).is_err());
    assert!(launch(&regblock_config(Dtype::F32, 8, 8, 8, 2), Dtype::F16, 1, 4).is_err());
    let t = launch(&tiled_config(16, 16, 4, 1, 16), Dtype::F32, 64, 64).unwrap();
    assert_eq!(t.groups, [1, 1, 1]);
    assert!(launch(&tiled_config(16, 16, 8, 1, 32), Dtype::F32, 1, 4).is_err()); // 128×32 A tile
    assert!(launch(&tiled_config(16, 16, 4, 1, 6), Dtype::F32, 1, 4).is_err());
    let u = launch(&unrolled_config(8, 1, 32, 8), Dtype::F32, 100, 256).unwrap();
    assert_eq!(u.groups, [1, 4, 1]); // 64 vec4 cols / (8·8); 100 rows / 32
    assert!(launch(&unrolled_config(8, 1, 33, 8), Dtype::F32, 1, 4).is_err());
    assert!(launch(&unrolled_config(8, 1, 32, 9), Dtype::F32, 1, 4).is_err());
    assert!(launch(&unrolled_config(8, 1, 32, 8), Dtype::F16, 1, 4).is_err());
    assert!(launch(&f16_unrolled_config(8, 1, 32, 8), Dtype::F32, 1, 4).is_err());
    let h = launch(&f16_unrolled_config(8, 1, 32, 8), Dtype::F16, 100, 256).unwrap();
    assert_eq!((h.shader, h.groups), (Shader::GemmF16Unrolled, [1, 4, 1]));
    let s = launch(&subgroup_config(8, 32, 4), Dtype::F32, 100, 64).unwrap();
    assert_eq!(s.groups, [1, 4, 1]); // 16 vec4 cols / (4·8); 100 rows / 32
    assert!(launch(&subgroup_config(8, 12, 4), Dtype::F32, 1, 4).is_err()); // TM % SG
    assert!(launch(&subgroup_config(12, 24, 4), Dtype::F32, 1, 4).is_err()); // SG
    assert!(launch(&subgroup_config(8, 32, 4), Dtype::F16, 1, 4).is_err());
}
