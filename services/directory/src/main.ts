import 'reflect-metadata';
import { runServiceMain } from '@ap/subgraph';
import { directoryService } from './server';

void runServiceMain(directoryService);
