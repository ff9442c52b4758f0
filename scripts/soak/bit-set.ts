/** A set of non-negative integers as one bit each, growing as needed. */
export class BitSet {
  private bytes = new Uint8Array(1 << 16);
  private members = 0;

  /** Adds `index`; false when it was already in. */
  add(index: number): boolean {
    const byte = index >>> 3;
    if (byte >= this.bytes.length) this.grow(byte);
    const bit = 1 << (index & 7);
    if ((this.bytes[byte]! & bit) !== 0) return false;
    this.bytes[byte]! |= bit;
    this.members += 1;
    return true;
  }

  has(index: number): boolean {
    return ((this.bytes[index >>> 3] ?? 0) & (1 << (index & 7))) !== 0;
  }

  get size(): number {
    return this.members;
  }

  private grow(byte: number): void {
    let length = this.bytes.length;
    while (length <= byte) length *= 2;
    const bigger = new Uint8Array(length);
    bigger.set(this.bytes);
    this.bytes = bigger;
  }
}
