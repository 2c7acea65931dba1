// The desk's entry: the sign-in card, or the desk when the server says who is signed in.
import { page } from './util.js';
import { renderLogin } from './login.js';
import { startDesk } from './desk.js';

const root = document.getElementById('app');
if (page.me) startDesk(root);
else renderLogin(root);
