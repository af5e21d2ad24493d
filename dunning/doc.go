// Package dunning keeps a customer's receivables, ages them, and walks an
// unpaid account through a dunning schedule, one pure evaluation at a time.
package dunning
