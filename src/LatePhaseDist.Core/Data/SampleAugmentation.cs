namespace LatePhaseDist.Core.Data;

/// <summary>
/// The augmentation of one sample. The output pixel (y, x) is the input pixel
/// (y + <see cref="OffsetY"/> − pad, x' + <see cref="OffsetX"/> − pad), where x' = W − 1 − x when
/// <see cref="Flip"/> is set and x otherwise, and pixels outside the image are 0 (before normalisation).
/// </summary>
/// <param name="OffsetY">Row of the crop's top-left corner in the padded image, in [0, 2·pad].</param>
/// <param name="OffsetX">Column of the crop's top-left corner in the padded image, in [0, 2·pad].</param>
/// <param name="Flip">Whether the cropped image is mirrored left to right.</param>
public readonly record struct SampleAugmentation(int OffsetY, int OffsetX, bool Flip);
