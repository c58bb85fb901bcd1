export { Notifier } from './notifier';
export type { NotifierOptions } from './notifier';
export { deliverWebhook } from './webhook-sender';
export type { DeliveryOptions, DeliveryResult } from './webhook-sender';
export { newSignatureEvent, matchRateEvent } from './events';
export type { NotificationEvent, NewSignatureEvent, MatchRateEvent } from './events';
