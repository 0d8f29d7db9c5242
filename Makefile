# The everyday commands; each is a script that also works on its own.
.PHONY: test run bench

# Every test (starts its own PostgreSQL); extra arguments: make test ARGS='--filter MKRPCTests'.
test:
	scripts/test.sh $(ARGS)

# The whole system on this machine.
run:
	scripts/run.sh $(ARGS)

# The benchmarks of PERFORMANCE.md, in release mode, printed as one table (under 15 minutes on
# 2 cores); extra arguments: make bench ARGS='codec --rounds 3'.
bench:
	@Tests/Benchmarks/bench.sh $(ARGS)
