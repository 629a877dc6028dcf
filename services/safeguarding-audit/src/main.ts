import 'reflect-metadata';
import { runServiceMain } from '@ap/subgraph';
import { safeguardingService } from './server';

void runServiceMain(safeguardingService);
