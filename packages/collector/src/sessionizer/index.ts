export { planSessions, candidateWindow } from './plan.js';
export type { PlanInput, SessionPlan } from './plan.js';
export { sessionKeyOf, UNKNOWN_CLIENT } from './session-key.js';
export type { SessionEvent, SessionKey } from './session-key.js';
export { idTime, LABEL_FIELDS, newerLabel, sessionIdentity } from './session-record.js';
export type { DeriveSessionId, LabelField, SessionRecord } from './session-record.js';
