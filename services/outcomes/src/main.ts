import 'reflect-metadata';
import { runServiceMain } from '@ap/subgraph';
import { outcomesService } from './server';

void runServiceMain(outcomesService);
