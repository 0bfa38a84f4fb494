/**
 * Installs delayed delivery into a broker: the send-path rewrite (DELAY level → SCHEDULE_TOPIC_XXXX, TIMER_* →
 * rmq_sys_wheel_timer), the delay-level and timer services (started with the broker, stopped and persisted at
 * shutdown), and GET_ALL_DELAY_OFFSET.
 */
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../../common/topics.js';
import { RequestCode, ResponseCode } from '../../protocol/codes.js';
import { RemotingCommand } from '../../remoting/command.js';
import type { BrokerContext } from '../context.js';
import { DelayLevels } from './delay-levels.js';
import { ScheduleMessageService } from './schedule-message-service.js';
import { applyScheduleRewrites, delayLevelOf, isTimerMessage } from './schedule-rewrite.js';
import { TimerWheelService } from './timer-wheel-service.js';

export interface ScheduleExtension {
  schedule: ScheduleMessageService;
  timer: TimerWheelService;
}

export function installSchedule(ctx: BrokerContext): ScheduleExtension {
  const cfg = ctx.config;
  const levels = new DelayLevels(cfg.messageDelayLevel);
  const schedule = new ScheduleMessageService(ctx.store, {
    storePathRootDir: cfg.storePathRootDir, messageDelayLevel: cfg.messageDelayLevel,
    flushDelayOffsetInterval: cfg.flushDelayOffsetInterval, logger: ctx.logger,
  });
  const timer = new TimerWheelService(ctx.store, { storePathRootDir: cfg.storePathRootDir, timerPrecisionMs: cfg.timerPrecisionMs, logger: ctx.logger });
  schedule.load();
  const timerCfg = { timerWheelEnable: cfg.timerWheelEnable, timerMaxDelaySec: cfg.timerMaxDelaySec, timerPrecisionMs: cfg.timerPrecisionMs };

  ctx.sendMessageHooks.push((msg, info) => {
    if (msg.topic === RMQ_SYS_TRANS_HALF_TOPIC) return undefined;
    if (info.batch) {
      // As Apache's batch append: no delay levels in a batch.
      if (delayLevelOf(msg) > 0) return { code: ResponseCode.MESSAGE_ILLEGAL, remark: 'a batch message can not be a delayed message' };
      return undefined;
    }
    if (isTimerMessage(msg) || delayLevelOf(msg) > 0) return applyScheduleRewrites(msg, levels, timerCfg) ?? undefined;
    return undefined;
  });

  ctx.server.registerProcessor(RequestCode.GET_ALL_DELAY_OFFSET, () => {
    const res = RemotingCommand.createResponse(ResponseCode.SUCCESS);
    res.body = Buffer.from(schedule.offsets.encode(false), 'utf8');
    return res;
  });

  const master = cfg.brokerRole !== 'SLAVE';
  if (master) {
    schedule.start();
    if (cfg.timerWheelEnable) timer.start();
  }
  ctx.shutdownHooks.push(async () => {
    await schedule.stop();
    await timer.stop();
  });
  return { schedule, timer };
}
