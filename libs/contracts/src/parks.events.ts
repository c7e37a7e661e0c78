import { EventDefinition } from './event-definition';

/** Industrial parks (园区), enterprises, park indicators and campaign tasks: the events the parks service publishes or accepts. */
export const PARKS_EVENT_DEFINITIONS: readonly EventDefinition[] = [];
