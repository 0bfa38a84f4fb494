import net from 'node:net';

/**
 * Hosts are carried as strings "ip:port" (IPv6 as "[addr]:port"; a bare "addr:port" with several colons is
 * read with the last colon as the port separator). On disk: 4-byte IPv4 or 16-byte IPv6, then int32 port.
 */
export interface HostParts {
  ip: string;
  port: number;
  v6: boolean;
}

export function parseHost(host: string): HostParts {
  let ip: string;
  let portText: string;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    ip = host.slice(1, end);
    portText = host.slice(end + 2);
  } else {
    const i = host.lastIndexOf(':');
    ip = i < 0 ? host : host.slice(0, i);
    portText = i < 0 ? '0' : host.slice(i + 1);
  }
  if (ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7))) ip = ip.slice(7);
  const v = net.isIP(ip);
  if (v === 0) throw new Error(`invalid host address: ${host}`);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port in host: ${host}`);
  return { ip, port, v6: v === 6 };
}

export function isV6Host(host: string): boolean {
  return parseHost(host).v6;
}

/** Byte length of a host on disk (address + 4-byte port): 8 for IPv4, 20 for IPv6. */
export function hostLength(v6: boolean): number {
  return v6 ? 20 : 8;
}

export function ipToBytes(ip: string, v6: boolean): Buffer {
  if (!v6) return Buffer.from(ip.split('.').map(Number));
  // Expand "::" and an embedded dotted quad.
  let text = ip;
  const tail: number[] = [];
  const dot = text.lastIndexOf(':');
  if (text.includes('.')) {
    tail.push(...text.slice(dot + 1).split('.').map(Number));
    text = text.slice(0, dot) + ':0:0';
  }
  const [head, rest] = text.split('::');
  const a = head ? head.split(':') : [];
  const b = rest !== undefined ? (rest ? rest.split(':') : []) : [];
  const groups = rest !== undefined ? [...a, ...Array(8 - a.length - b.length).fill('0'), ...b] : a;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  if (tail.length === 4) tail.forEach((x, i) => (out[12 + i] = x));
  return out;
}

export function bytesToIp(buf: Buffer, off: number, v6: boolean): string {
  if (!v6) return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(buf.readUInt16BE(off + i * 2).toString(16));
  // Compress the longest run of zero groups as "::".
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return groups.slice(0, best).join(':') + '::' + groups.slice(best + bestLen).join(':');
}

export function formatHost(ip: string, port: number, v6: boolean): string {
  return v6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Writes address + int32 port at off; returns bytes written. */
export function writeHost(buf: Buffer, off: number, h: HostParts): number {
  const b = ipToBytes(h.ip, h.v6);
  b.copy(buf, off);
  buf.writeInt32BE(h.port, off + b.length);
  return b.length + 4;
}

export function readHost(buf: Buffer, off: number, v6: boolean): string {
  const ip = bytesToIp(buf, off, v6);
  return formatHost(ip, buf.readInt32BE(off + (v6 ? 16 : 4)), v6);
}
