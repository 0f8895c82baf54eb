// The spec helpers live with the contract checks (scripts/contract/), which the tools package ships.
export * from '../../scripts/contract/spec.ts';
