/**
 * Topic attribute changes of UPDATE_AND_CREATE_TOPIC (5.x `attributes` header, "+k=v,+k2=v2,-k3"):
 * parse the modification string and apply it to the current attributes with Apache's rules
 * (only additions on create, deletes only of present keys, known keys, enum values, unchangeable keys).
 * Errors are thrown with Apache's texts; the processor turns them into SYSTEM_ERROR.
 */

interface AttributeSpec {
  changeable: boolean;
  values: string[];
}

/** Apache TopicAttributes: name -> (changeable, allowed values). */
const TOPIC_ATTRIBUTES: Record<string, AttributeSpec> = {
  'queue.type': { changeable: false, values: ['BatchCQ', 'SimpleCQ'] },
  'cleanup.policy': { changeable: false, values: ['DELETE', 'COMPACTION'] },
  'message.type': { changeable: true, values: ['UNSPECIFIED', 'NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'] },
};

/** "+a=1,-b" -> {"+a":"1","-b":""}. */
export function parseAttributeModification(s: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!s) return out;
  for (const kv of s.split(',')) {
    let key: string;
    let value: string;
    if (kv.includes('=')) {
      const parts = kv.split('=');
      key = parts[0];
      value = parts[1] ?? '';
      if (!key.includes('+')) throw new Error(`add/alter attribute format is wrong: ${key}`);
    } else {
      key = kv;
      value = '';
      if (!key.includes('-')) throw new Error(`delete attribute format is wrong: ${key}`);
    }
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new Error(`key duplication: ${key}`);
    out[key] = value;
  }
  return out;
}

function checkAlter(key: string, value: string, init: boolean, del: boolean): void {
  const spec = TOPIC_ATTRIBUTES[key];
  if (!spec) throw new Error(`unsupported key: ${key}`);
  if (!init && !spec.changeable) throw new Error(`attempt to update an unchangeable attribute. key: ${key}`);
  if (!del && !spec.values.includes(value)) throw new Error(`value is not in set: [${spec.values.join(', ')}]`);
}

/** The attributes a topic ends up with after `modification` (create = the topic does not exist yet). */
export function alterAttributes(
  create: boolean,
  current: Record<string, string>,
  modification: Record<string, string>,
): Record<string, string> {
  const result: Record<string, string> = { ...current };
  const seen = new Set<string>();
  const deletes: string[] = [];
  for (const [key, value] of Object.entries(modification)) {
    const real = key.slice(1);
    if (!real || real.includes('+') || real.includes('-')) throw new Error('kv string format wrong.');
    if (seen.has(real)) throw new Error(`alter duplication key. key: ${real}`);
    seen.add(real);
    if (create) {
      if (!key.startsWith('+')) throw new Error(`only add attribute is supported while creating topic. key: ${real}`);
      checkAlter(real, value, true, false);
      result[real] = value;
    } else if (key.startsWith('+')) {
      checkAlter(real, value, false, false);
      result[real] = value;
    } else if (key.startsWith('-')) {
      if (!Object.prototype.hasOwnProperty.call(current, real)) throw new Error(`attempt to delete a nonexistent key: ${real}`);
      checkAlter(real, value, false, true);
      deletes.push(real);
    } else {
      throw new Error(`wrong format key: ${real}`);
    }
  }
  for (const k of deletes) delete result[k];
  return result;
}
