/**
 * The report's HTTP side: the web page, sign-in, and the JSON API (results, rules,
 * rollout, lag, replay) under the report path. The proxy path never imports this.
 */
export { createReportRouter } from './router';
