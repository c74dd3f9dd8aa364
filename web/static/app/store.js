// localStorage with JSON and a namespace. Failing storage (private mode, quota) never breaks a form.

const PREFIX = 'weiquan:';

// The same over any Storage (getStorage() returns it; a test passes its own). Reaching the storage
// may itself throw (storage disabled), so it is asked for inside each try.
export function storeOver(getStorage) {
  return {
    load(key, fallback = null) {
      try {
        const raw = getStorage().getItem(PREFIX + key);
        return raw === null ? fallback : JSON.parse(raw);
      } catch {
        return fallback;
      }
    },

    save(key, value) {
      try {
        getStorage().setItem(PREFIX + key, JSON.stringify(value));
        return true;
      } catch {
        return false;
      }
    },

    remove(key) {
      try {
        getStorage().removeItem(PREFIX + key);
      } catch {
        /* storage unavailable: nothing to remove */
      }
    },

    // The keys (without the namespace) that start with `prefix`.
    keys(prefix = '') {
      const out = [];
      try {
        const storage = getStorage();
        for (let i = 0; i < storage.length; i += 1) {
          const k = storage.key(i);
          if (k && k.startsWith(PREFIX + prefix)) out.push(k.slice(PREFIX.length));
        }
      } catch {
        /* storage unavailable: no keys */
      }
      return out;
    },
  };
}

export const { load, save, remove, keys } = storeOver(() => localStorage);
