// Placeholder: the benchmark helper tool (bulk data generation through the libraries).
print("sop-bench: not implemented yet")
