/**
 * IEEE 754 half-precision conversion. Node 20 has no Float16Array, and the
 * quantized blocks and F16 tensors both store float16 values.
 */

/** The float16 bit pattern nearest to `value` (round half to even; overflow gives infinity). */
export function float16Bits(value: number): number {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, value);
    const bits = view.getUint32(0);

    const sign = (bits >>> 16) & 0x8000;
    const exponent32 = (bits >>> 23) & 0xff;
    const mantissa32 = bits & 0x7fffff;

    if (exponent32 === 0xff)
        return sign | 0x7c00 | (mantissa32 !== 0 ? 0x200 : 0);

    const exponent16 = exponent32 - 127 + 15;
    if (exponent16 >= 0x1f)
        return sign | 0x7c00;

    if (exponent16 <= 0) {
        // Subnormal in float16 (or too small even for that).
        if (exponent16 < -10)
            return sign;

        const mantissa = mantissa32 | 0x800000;
        const shift = 14 - exponent16;
        const halfway = 1 << (shift - 1);
        const remainder = mantissa & ((1 << shift) - 1);
        let half = mantissa >>> shift;
        if (remainder > halfway || (remainder === halfway && (half & 1) === 1))
            half++;

        return sign | half;
    }

    // A carry out of the mantissa correctly bumps the exponent.
    let half = sign | (exponent16 << 10) | (mantissa32 >>> 13);
    const remainder = mantissa32 & 0x1fff;
    if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1))
        half++;

    return half;
}

/** The number a float16 bit pattern stands for. */
export function float16Value(bits: number): number {
    const sign = (bits & 0x8000) !== 0 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;

    if (exponent === 0)
        return sign * mantissa * 2 ** -24;
    if (exponent === 0x1f)
        return mantissa === 0 ? sign * Infinity : NaN;

    return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
