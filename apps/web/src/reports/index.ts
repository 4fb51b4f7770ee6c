export { previousQuarter, quarters } from './periods';
export { ApprovalChain } from './ApprovalChain';
