import { EventDefinition } from './event-definition';

/** Transport works (交通工程), their phases, gates and sections: the events the transport service publishes or accepts. */
export const TRANSPORT_EVENT_DEFINITIONS: readonly EventDefinition[] = [];
