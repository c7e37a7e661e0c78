import { z } from 'zod';
import { MilestoneEventData, MilestoneEventTypes } from './milestone.events';

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  version: number;
  schema: S;
  description: string;
}

const define = <S extends z.ZodType>(
  type: string,
  schema: S,
  description: string,
  version = 1,
): EventDefinition<S> => ({ type, version, schema, description });

/**
 * Every event type Duban publishes or accepts, with its schema. Publishing or consuming a
 * type that is not here is an error: integrators can trust this list (and the AsyncAPI
 * document generated from it) to be complete.
 */
export const EVENT_DEFINITIONS: readonly EventDefinition[] = [
  define(
    MilestoneEventTypes.scheduled,
    MilestoneEventData,
    'A milestone was set with its baseline date',
  ),
  define(
    MilestoneEventTypes.forecastChanged,
    MilestoneEventData,
    "The owner's forecast date changed",
  ),
  define(
    MilestoneEventTypes.rescheduled,
    MilestoneEventData,
    'The planned date was formally moved',
  ),
  define(
    MilestoneEventTypes.completed,
    MilestoneEventData,
    'The milestone was met on its actual date',
  ),
  define(MilestoneEventTypes.cancelled, MilestoneEventData, 'The milestone no longer applies'),
];

const byType = new Map<string, EventDefinition>(EVENT_DEFINITIONS.map((d) => [d.type, d]));

export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

/** `dataschema` value naming a type's schema version. */
export const dataSchemaFor = (def: Pick<EventDefinition, 'type' | 'version'>): string =>
  `urn:duban:schema:${def.type}:v${def.version}`;
