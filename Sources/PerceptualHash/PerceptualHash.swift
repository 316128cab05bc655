/// 64-bit perceptual hashes of 32×32 grey images (SPEC §4).
public enum PerceptualHash {}
