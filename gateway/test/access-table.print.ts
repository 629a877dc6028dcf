// Prints the access tables as Markdown, for the README's "Who may do what".
import { accessTablesMarkdown } from './access-tables';

process.stdout.write(accessTablesMarkdown() + '\n');
