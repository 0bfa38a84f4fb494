// One mqadmin-compatible command: its name as mqadmin spells it, its options, and what it does and prints.
import type { MQAdmin } from '../../../client/admin/index.js';
import type { OptSpec, Parsed } from './options.js';

export type Out = (s: string) => void;

export interface CompatCommand {
  name: string;
  desc: string;
  options: OptSpec[];
  run(admin: MQAdmin, p: Parsed, out: Out): Promise<void>;
}
