/** The part of the message store the delay, timer and transaction services use (MessageStore satisfies it). */
import type { MessageExt, MessageExtBrokerInner } from '../../common/message.js';
import type { GetMessageResult, PutMessageResult } from '../../store/types.js';

export interface StorePort {
  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult>;
  getMessage(group: string, topic: string, queueId: number, offset: number, maxMsgNums: number): Promise<GetMessageResult>;
  getMaxOffsetInQueue(topic: string, queueId: number): number;
  getMinOffsetInQueue(topic: string, queueId: number): number;
  lookMessageByOffset(phyOffset: number): Promise<MessageExt | null>;
  selectOneMessageByOffset(phyOffset: number, size?: number): Promise<Buffer | null>;
}
