'use strict';
// Occupancy per zone from desk states: a zone's count is the number of its desks reported
// occupied; desks reported unknown (occupied: null, every sensor of the desk in fault) are counted
// apart and are not free. Desks missing from the layout still count towards the whole space.

class ZoneTracker {
  /** layout: {zones: [{id, name, capacity?}], desks: {deskId: zoneId}} */
  constructor(layout) {
    this.zones = new Map((layout?.zones ?? []).map((z) => [z.id, { id: z.id, name: z.name ?? z.id, capacity: z.capacity ?? null }]));
    this.deskZone = new Map(Object.entries(layout?.desks ?? {}));
    this.occupied = new Set();
    this.unknownDesks = new Set();
  }

  zoneOf(desk) {
    return this.deskZone.get(desk) ?? null;
  }

  hasZone(zone) {
    return this.zones.has(zone);
  }

  /** Occupied desks in `zone`, or in the whole space when `zone` is null. */
  count(zone, set = this.occupied) {
    if (zone == null) return set.size;
    let n = 0;
    for (const d of set) if (this.deskZone.get(d) === zone) n++;
    return n;
  }

  /** Desks of `zone` (or the whole space) whose state is unknown. */
  unknown(zone) {
    return this.count(zone, this.unknownDesks);
  }

  /** Desks known in `zone` (or all desks of the layout). */
  desks(zone) {
    if (zone == null) return this.deskZone.size;
    let n = 0;
    for (const z of this.deskZone.values()) if (z === zone) n++;
    return n;
  }

  /** The view of one zone (or the whole space for null) that nodes put in msg.payload. */
  view(zone) {
    const z = zone == null ? null : this.zones.get(zone);
    const capacity = zone == null ? sumCapacity(this.zones) : (z?.capacity ?? null);
    const occupied = this.count(zone);
    const unknown = this.unknown(zone);
    return {
      zone: zone ?? null,
      name: zone == null ? 'whole space' : (z?.name ?? zone),
      occupied,
      unknown,
      capacity,
      // A desk we know nothing about is not promised as free.
      free: capacity == null ? null : Math.max(0, capacity - occupied - unknown),
      desks: this.desks(zone),
    };
  }

  /**
   * Applies one desk state. Returns null when nothing changed, else the counts before and
   * after for the desk's zone and for the whole space.
   */
  update(desk, occupied) {
    const was = this.occupied.has(desk) ? true : this.unknownDesks.has(desk) ? null : false;
    if (was === occupied) return null;
    const zone = this.zoneOf(desk);
    const before = { zone: this.count(zone), total: this.occupied.size };
    this.occupied.delete(desk);
    this.unknownDesks.delete(desk);
    if (occupied === true) this.occupied.add(desk);
    else if (occupied === null) this.unknownDesks.add(desk);
    return {
      desk,
      zone,
      occupied,
      /** The desk went into or out of unknown (the unknown count changed). */
      unknownChanged: was === null || occupied === null,
      zoneBefore: zone == null ? null : before.zone,
      zoneAfter: zone == null ? null : this.count(zone),
      totalBefore: before.total,
      totalAfter: this.occupied.size,
    };
  }
}

function sumCapacity(zones) {
  let sum = 0;
  for (const z of zones.values()) {
    if (z.capacity == null) return null;
    sum += z.capacity;
  }
  return zones.size === 0 ? null : sum;
}

module.exports = { ZoneTracker };
