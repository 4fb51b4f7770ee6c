export { Dialog } from './Dialog';
export { FormError, SelectField, TextArea, TextField } from './Field';
export * from './format';
export { CLASS_STATUS } from './labels';
export { Page } from './Page';
export { Pager } from './Pager';
export { Empty, ErrorState, Loading } from './States';
export { Tabs } from './Tabs';
