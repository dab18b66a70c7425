import { runCreateAdmin } from './create-admin';

// The entry point of `npm run admin:create` (through admin-create.js) and of the image's admin-create service.
void runCreateAdmin(process.argv.slice(2));
