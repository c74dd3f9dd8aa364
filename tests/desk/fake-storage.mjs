// A Storage (the localStorage interface) in memory, for the desk's modules under node. `failing`
// makes every call throw, as a browser with storage disabled or full does.
export class FakeStorage {
  constructor(entries = {}, { failing = false } = {}) {
    this.map = new Map(Object.entries(entries));
    this.failing = failing;
  }

  check() {
    if (this.failing) throw new Error('storage unavailable');
  }

  get length() {
    this.check();
    return this.map.size;
  }

  key(i) {
    this.check();
    return [...this.map.keys()][i] ?? null;
  }

  getItem(k) {
    this.check();
    return this.map.has(k) ? this.map.get(k) : null;
  }

  setItem(k, v) {
    this.check();
    this.map.set(k, String(v));
  }

  removeItem(k) {
    this.check();
    this.map.delete(k);
  }

  // The stored JSON of a key, parsed (test helper, not part of Storage).
  json(k) {
    const raw = this.map.get(k);
    return raw === undefined ? undefined : JSON.parse(raw);
  }
}
