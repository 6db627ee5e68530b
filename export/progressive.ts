/**
 * What Argo Rollouts and Flagger share. Both move traffic between two revisions of one workload,
 * not between two apps, so the strangler plan maps onto them like this: each extracted service's
 * routes are served by a workload named after the service whose stable (primary) revision runs
 * the monolith's image (legacy code, serving just those routes) and whose new revision is the
 * service's image. Updating the image to the service's starts the progressive move.
 */
import type { RouteConfig } from '../facade/config/schema';
import type { Backend, ExportInput } from './input';
import type { Notes } from './notes';

export interface ServiceRollout {
  backend: Backend;
  routes: RouteConfig[];
  /** The weight the first route holds now; the others are expected to hold the same. */
  weight: number;
}

export const WORKFLOW = [
  'How to run it: the Deployment of each service below starts with the monolith\'s image (its stable',
  'revision serves these routes with legacy code); set its image to the extracted service\'s and the',
  'engine moves the routes\' traffic step by step. The rest of the traffic goes to legacy directly.',
].join('\n');

/** One entry per service that has routes, in the order its first route appears. */
export function serviceRollouts(input: ExportInput, notes: Notes, engine: string): ServiceRollout[] {
  const by = new Map<string, ServiceRollout>();
  for (const r of input.config.routes) {
    const entry = by.get(r.service);
    if (!entry) {
      // Both engines take whole per cent (Go ints behind the schemas).
      if (!Number.isInteger(r.weight)) notes.add(r.name, `${engine} weights are whole per cent: ${r.weight} % becomes ${Math.round(r.weight)} %`);
      by.set(r.service, { backend: input.services.get(r.service)!, routes: [r], weight: Math.round(r.weight) });
      continue;
    }
    entry.routes.push(r);
    if (Math.round(r.weight) !== entry.weight) notes.add(r.name, `${engine} moves all routes of ${r.service} together: this route's weight ${r.weight} % becomes ${entry.weight} % (that of ${entry.routes[0].name})`);
  }
  for (const r of input.config.routes) {
    if (r.shadow) notes.add(r.name, `shadow: not part of a weighted ${engine} canary; mirror with the gateway-api or istio export instead`);
  }
  return [...by.values()];
}
