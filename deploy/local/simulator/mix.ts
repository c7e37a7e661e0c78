/**
 * Which department acts next, as a pure function: each domain the simulator could read gets
 * an even share of the actions, and within a domain its own weights tilt between raising and
 * resolving alerts (see `troubleLean`), so a screen sees both in every domain.
 */
import {
  ACTION_KINDS,
  Action,
  ActionKind,
  PlanContext,
  World,
  chooseAction,
  weightedPick,
} from './actions';
import {
  PARKS_KINDS,
  ParksAction,
  ParksActionKind,
  ParksWorld,
  chooseParksAction,
} from './parks-actions';
import {
  TRANSPORT_KINDS,
  TransportAction,
  TransportActionKind,
  TransportWorld,
  chooseTransportAction,
} from './transport-actions';

export const DOMAINS = ['projects', 'parks', 'transport'] as const;
export type Domain = (typeof DOMAINS)[number];

export type Kind = ActionKind | ParksActionKind | TransportActionKind;
export type AnyAction = Action | ParksAction | TransportAction;
export type Played = Record<Kind, number>;

export const KINDS_OF: Readonly<Record<Domain, readonly Kind[]>> = {
  projects: ACTION_KINDS,
  parks: PARKS_KINDS,
  transport: TRANSPORT_KINDS,
};

export const domainOf = (kind: Kind): Domain =>
  DOMAINS.find((d) => KINDS_OF[d].includes(kind)) ?? 'projects';

export const emptyPlayedAll = (): Played =>
  Object.fromEntries(DOMAINS.flatMap((d) => KINDS_OF[d]).map((k) => [k, 0])) as Played;

/** What was read this tick; a domain left out (unreachable, or failed to read) sits it out. */
export interface Worlds {
  projects?: World;
  parks?: ParksWorld;
  transport?: TransportWorld;
}

export type MixContext = Omit<PlanContext, 'played'> & { played: Played };

/**
 * A domain that has played more than the least-played one is picked the less, the more it is
 * ahead (weight 1 / (1 + lead)²): shares stay even over a short watch, not only on average.
 */
export function domainWeights(domains: readonly Domain[], played: Played): number[] {
  const counts = domains.map((d) => KINDS_OF[d].reduce((n, k) => n + played[k], 0));
  const least = Math.min(...counts);
  return counts.map((n) => 1 / (1 + n - least) ** 2);
}

/** The next action in any domain, or null when no domain has anything to play. */
export function chooseNext(worlds: Worlds, ctx: MixContext): AnyAction | null {
  let open = DOMAINS.filter((d) => worlds[d] !== undefined);
  while (open.length > 0) {
    const domain = weightedPick(open, domainWeights(open, ctx.played), ctx.rng);
    const action = chooseIn(domain, worlds, ctx);
    if (action) return action;
    open = open.filter((d) => d !== domain);
  }
  return null;
}

function chooseIn(domain: Domain, worlds: Worlds, ctx: MixContext): AnyAction | null {
  switch (domain) {
    case 'projects':
      return worlds.projects ? chooseAction(worlds.projects, ctx) : null;
    case 'parks':
      return worlds.parks ? chooseParksAction(worlds.parks, ctx) : null;
    case 'transport':
      return worlds.transport ? chooseTransportAction(worlds.transport, ctx) : null;
  }
}
