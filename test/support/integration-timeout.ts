// Each integration file clones a database first; 5 s is too little for that on a loaded machine.
// Jest honours a project's `testTimeout` only when that project runs alone (jest-circus reads the
// global one), so the integration project sets its timeout here, in every run.
jest.setTimeout(30_000);
