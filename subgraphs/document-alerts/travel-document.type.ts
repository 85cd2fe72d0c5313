import { travelDocumentKeyType } from '../../shared/schema/travel-document-key';

/** This subgraph's view of a travel document: its key, to which it adds the alerts that cover it. */
export const TravelDocument = travelDocumentKeyType();
export type TravelDocument = InstanceType<typeof TravelDocument>;
