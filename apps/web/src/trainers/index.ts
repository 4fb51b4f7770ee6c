export { CascadeTree } from './CascadeTree';
