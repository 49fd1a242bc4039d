#!/usr/bin/env node
import '../dist/scaffold/cli.js';
