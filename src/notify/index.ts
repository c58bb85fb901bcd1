export { Notifier } from './notifier';
