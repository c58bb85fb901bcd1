// Rollout view: loads reports/rollout.js (the rollout feature) when this server has it.
import { h, mount } from './dom.js';

export async function renderRolloutView(container, api) {
  let mod;
  try {
    mod = await import('./rollout.js');
  } catch {
    mount(container, h('h1', {}, 'Rollout'), h('p', { class: 'muted' }, 'Per-customer rollout is not available on this server.'));
    return;
  }
  return mod.renderRollout(container, api);
}
