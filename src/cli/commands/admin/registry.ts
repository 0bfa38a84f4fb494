// The mqadmin-compatible commands by name (matched case-insensitively, as mqadmin does).
import { brokerCommands } from './broker-commands.js';
import { groupCommands } from './group-commands.js';
import { messageCommands } from './message-commands.js';
import { topicCommands } from './topic-commands.js';
import type { CompatCommand } from './types.js';

export const compatCommands: CompatCommand[] = [...topicCommands, ...groupCommands, ...messageCommands, ...brokerCommands];

export function findCompatCommand(name: string): CompatCommand | undefined {
  const l = name.toLowerCase();
  return compatCommands.find((c) => c.name.toLowerCase() === l);
}
