// @peculiar/x509 uses tsyringe, which refuses to load unless a Reflect metadata polyfill is present
// (it checks `Reflect.getMetadata`). The `reflect-metadata` package is not a dependency here, so this
// installs the few functions tsyringe calls (define/get/getOwn metadata), backed by WeakMaps. It only
// fills gaps: a real polyfill loaded earlier wins. Import this module before '@peculiar/x509'.
type MetadataMap = Map<unknown, unknown>
const store = new WeakMap<object, Map<PropertyKey | undefined, MetadataMap>>()

function own(target: object, key: PropertyKey | undefined, create: boolean): MetadataMap | undefined {
  let byKey = store.get(target)
  if (!byKey) {
    if (!create) return undefined
    byKey = new Map()
    store.set(target, byKey)
  }
  let map = byKey.get(key)
  if (!map && create) {
    map = new Map()
    byKey.set(key, map)
  }
  return map
}

function getMetadata(metadataKey: unknown, target: object, key?: PropertyKey): unknown {
  for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
    const map = own(t, key, false)
    if (map?.has(metadataKey)) return map.get(metadataKey)
  }
  return undefined
}

const shim = {
  defineMetadata(metadataKey: unknown, value: unknown, target: object, key?: PropertyKey): void {
    own(target, key, true)!.set(metadataKey, value)
  },
  getOwnMetadata(metadataKey: unknown, target: object, key?: PropertyKey): unknown {
    return own(target, key, false)?.get(metadataKey)
  },
  getMetadata,
  hasMetadata(metadataKey: unknown, target: object, key?: PropertyKey): boolean {
    return getMetadata(metadataKey, target, key) !== undefined
  },
  metadata(metadataKey: unknown, value: unknown) {
    return (target: object, key?: PropertyKey): void => shim.defineMetadata(metadataKey, value, target, key)
  },
}

const reflect = Reflect as unknown as Record<string, unknown>
for (const [name, fn] of Object.entries(shim)) if (typeof reflect[name] !== 'function') reflect[name] = fn
