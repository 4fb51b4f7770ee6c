import { HIERARCHY_ENTITIES } from '../../../libs/hierarchy/src';
import { MIGRATIONS } from '../../../migrations';

/** Every entity of every domain library: the schema the migrations must produce, exactly. */
export const ENTITIES = [...HIERARCHY_ENTITIES];

export { MIGRATIONS };
