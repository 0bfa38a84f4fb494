import os from 'node:os';
import { ipToBytes, bytesToIp, formatHost, parseHost } from './host.js';
import { hex4, hex8, hex16 } from './bytes.js';

/**
 * Offset message id (storage.md §11): store host address + int32 port + int64 commitlog offset, uppercase hex.
 * 32 chars for IPv4 store hosts, 56 for IPv6.
 */
export function createOffsetMsgId(storeHost: string, commitLogOffset: number): string {
  const h = parseHost(storeHost);
  const addr = ipToBytes(h.ip, h.v6);
  const buf = Buffer.allocUnsafe(addr.length + 12);
  addr.copy(buf, 0);
  buf.writeInt32BE(h.port, addr.length);
  buf.writeBigInt64BE(BigInt(commitLogOffset), addr.length + 4);
  return buf.toString('hex').toUpperCase();
}

/** Fast path used by the store: address bytes + port already encoded (8 or 20 bytes). */
export function offsetMsgIdFromHostBytes(hostBytes: Buffer, commitLogOffset: number): string {
  return hostBytes.toString('hex').toUpperCase() + hex16(commitLogOffset);
}

export interface DecodedMsgId {
  address: string;
  offset: number;
}

export function decodeOffsetMsgId(msgId: string): DecodedMsgId {
  if (!/^[0-9a-fA-F]+$/.test(msgId) || (msgId.length !== 32 && msgId.length !== 56)) {
    throw new Error(`invalid offset message id: ${msgId}`);
  }
  const buf = Buffer.from(msgId, 'hex');
  const v6 = msgId.length === 56;
  const alen = v6 ? 16 : 4;
  const ip = bytesToIp(buf, 0, v6);
  const port = buf.readInt32BE(alen);
  const offset = Number(buf.readBigInt64BE(alen + 4));
  return { address: formatHost(ip, port, v6), offset };
}

// ---- client unique id (UNIQ_KEY), MessageClientIDSetter layout ----

function isPrivateV4(b: number[]): boolean {
  return b[0] === 10 || (b[0] === 172 && b[1] >= 16 && b[1] <= 31) || (b[0] === 192 && b[1] === 168);
}

function isPublicV4(b: number[]): boolean {
  return !isPrivateV4(b) && b[0] !== 127 && b[0] !== 0 && !(b[0] === 169 && b[1] === 254) && b[0] < 224;
}

function isPublicV6(ip: string): boolean {
  const l = ip.toLowerCase();
  return !(l === '::1' || l.startsWith('fe8') || l.startsWith('fe9') || l.startsWith('fea') || l.startsWith('feb') ||
    l.startsWith('fc') || l.startsWith('fd') || l === '::');
}

/** UtilAll.getIP: first public address (v4 or v6); else a private IPv4 (non-127 preferred); else null. */
export function localIpBytes(): Buffer | null {
  let privateV4: Buffer | null = null;
  let loopback: Buffer | null = null;
  try {
    for (const list of Object.values(os.networkInterfaces())) {
      for (const a of list ?? []) {
        if (a.family === 'IPv4') {
          const b = a.address.split('.').map(Number);
          if (isPublicV4(b)) return Buffer.from(b);
          if (b[0] === 127) loopback ??= Buffer.from(b);
          else if (isPrivateV4(b)) privateV4 ??= Buffer.from(b);
        } else if (a.family === 'IPv6' && isPublicV6(a.address)) {
          return ipToBytes(a.address.split('%')[0], true);
        }
      }
    }
  } catch {
    return null;
  }
  return privateV4 ?? loopback;
}

function startOfMonth(now: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), 1, 0, 0, 0, 0).getTime();
}

/** Generator of UNIQ_KEY ids: [ip][pid16][loaderHash32][msSinceMonthStart32][counter16], uppercase hex. */
export class UniqueIdGenerator {
  private readonly fixedHex: string;
  private counter = 0;
  private monthStart = 0;
  private nextMonthStart = 0;

  constructor(ipBytes?: Buffer | null, pid = process.pid, loaderHash = (Math.random() * 0x7fffffff) | 0) {
    let ip = ipBytes ?? localIpBytes();
    if (!ip) {
      const t = Buffer.alloc(8);
      t.writeBigInt64BE(BigInt(Date.now()));
      ip = t.subarray(4, 8);
    }
    const fixed = Buffer.alloc(ip.length + 6);
    ip.copy(fixed, 0);
    fixed.writeUInt16BE(pid & 0xffff, ip.length);
    fixed.writeInt32BE(loaderHash | 0, ip.length + 2);
    this.fixedHex = fixed.toString('hex').toUpperCase();
  }

  next(now = Date.now()): string {
    if (now >= this.nextMonthStart) {
      this.monthStart = startOfMonth(now);
      const d = new Date(this.monthStart);
      this.nextMonthStart = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
    }
    let diff = now - this.monthStart;
    if (diff < 0 && diff > -1000000) diff = 0;
    return this.fixedHex + hex8(diff | 0) + hex4(this.counter++ & 0xffff);
  }
}

let defaultGenerator: UniqueIdGenerator | null = null;

export function createUniqId(): string {
  defaultGenerator ??= new UniqueIdGenerator();
  return defaultGenerator.next();
}

/** Client IP of a unique id (first 4 or 16 bytes), as text. */
export function uniqIdIp(uniqId: string): string {
  const buf = Buffer.from(uniqId, 'hex');
  const v6 = uniqId.length === 56;
  return bytesToIp(buf, 0, v6);
}
